"""danvan: the registry and statistics of the "Dân vận khéo" movement."""

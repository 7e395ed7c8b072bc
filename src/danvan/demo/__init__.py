"""The demo data set: ``danvan load_demo``.

``loader`` runs it all in one transaction; ``quangyen`` and ``hatinh`` register the published facts
through the services (``facts``); ``background`` and ``population`` generate the seeded bulk around
them; ``indicators`` and ``templates`` are the catalogues they draw on; ``users`` the demo log-in.
"""

"""Pictures of a document's pages for the docs (docs/screenshots/), drawn with pypdfium2 from
the PDF, or from the PDF LibreOffice prints of a Word file. Used only to make the docs' images,
never by the product."""

import shutil
import subprocess
import tempfile
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
DOCS_SCREENSHOTS = REPOSITORY / "docs" / "screenshots"


def page_png(pdf: bytes, path: Path, *, page: int = 0, scale: float = 1.5) -> Path:
    """Draw page ``page`` of ``pdf`` as a PNG at ``path``; return the path."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    path.parent.mkdir(parents=True, exist_ok=True)
    document[page].render(scale=scale).to_pil().save(path)
    return path


def word_as_pdf(docx: bytes) -> bytes | None:
    """The PDF LibreOffice prints of a Word file; None without LibreOffice."""
    if shutil.which("soffice") is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "document.docx"
        source.write_bytes(docx)
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "pdf", "--outdir", folder, str(source)],
            check=True,
            capture_output=True,
            timeout=180,
        )
        return (Path(folder) / "document.pdf").read_bytes()

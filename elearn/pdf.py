"""HTML to PDF for the documents elearn issues (certificates, development records), with no
network or disk access: everything a document shows is in its HTML, images as data: URIs."""
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

# Fonts are looked up once per process; reusing the configuration keeps a warm render fast.
_FONTS = FontConfiguration()


def html_to_pdf(html: str) -> bytes:
    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    return HTML(string=html, url_fetcher=fetcher).write_pdf(font_config=_FONTS)

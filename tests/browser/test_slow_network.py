"""The lesson page on a cheap phone over a slow mobile connection: its text shows in under 3 s
and stays readable without zooming. The page's weight is printed for the README."""
import pytest

from tests.browser.conftest import new_context

# Chromium DevTools' "Fast 3G" preset: 562.5 ms round trip, 1.6 Mbit/s down, 750 kbit/s up,
# each at 90% as DevTools applies it.
FAST_3G = {"offline": False, "latency": 562.5,
           "downloadThroughput": 1.6 * 1024 * 1024 / 8 * 0.9, "uploadThroughput": 750 * 1024 / 8 * 0.9}
TEXT_WITHIN_MS = 3000
MIN_FONT_PX = 16

FIRST_PAINT_JS = """() => new Promise((resolve) => new PerformanceObserver((list) => {
  const paint = list.getEntriesByName('first-contentful-paint')[0];
  if (paint) { resolve(paint.startTime); }
}).observe({type: 'paint', buffered: true}))"""

WEIGHT_JS = """() => {
  const kinds = {document: 0, css: 0, js: 0, font: 0, image: 0};
  kinds.document = performance.getEntriesByType('navigation')[0].encodedBodySize;
  for (const entry of performance.getEntriesByType('resource')) {
    const path = new URL(entry.name).pathname;
    const kind = path.endsWith('.css') ? 'css' : path.endsWith('.js') ? 'js'
      : /\\.(woff2?|ttf|otf)$/.test(path) ? 'font' : 'image';
    kinds[kind] += entry.encodedBodySize;
  }
  return kinds;
}"""


@pytest.fixture
def viewport():
    return "phone"


def test_the_lesson_text_shows_within_3_seconds_on_fast_3g(enrolled):
    journey = enrolled
    lesson_path = journey.page.url

    # A fresh page, nothing cached, the connection throttled before the first byte.
    fresh = new_context(journey.context.browser, journey.viewport)
    try:
        fresh.add_cookies(journey.context.cookies())
        page = fresh.new_page()
        network = fresh.new_cdp_session(page)
        network.send("Network.enable")
        network.send("Network.emulateNetworkConditions", FAST_3G)
        page.goto(lesson_path)
        text = page.get_by_text("Warga datang pukul 08.00").first
        paint = page.evaluate(FIRST_PAINT_JS)
        weight = page.evaluate(WEIGHT_JS)
        font_px = text.evaluate("(el) => parseFloat(getComputedStyle(el).fontSize)")
        scale = page.evaluate("document.querySelector('meta[name=viewport]').content")
    finally:
        fresh.close()

    print(f"\nLesson page on Fast 3G: first contentful paint {paint:.0f} ms; "
          f"weight (uncompressed bytes): {weight}, total {sum(weight.values()):,}")
    # Nothing on the page loads late: the first paint is the page with its text.
    assert paint < TEXT_WITHIN_MS
    assert weight["font"] == 0, "system fonts only: a font download would hold the text back"
    assert font_px >= MIN_FONT_PX and "width=device-width" in scale and "user-scalable=no" not in scale

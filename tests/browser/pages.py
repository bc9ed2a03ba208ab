"""What the browser tests share beside their fixtures."""


def visit(page, url):
    """Open ``url`` in ``page``: it must answer 200 with a language on <html>."""
    response = page.goto(url)
    assert response.status == 200, url
    assert page.locator("html").get_attribute("lang")
    return page

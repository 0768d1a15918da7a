"""The chrome shops and forums print once per product or per post goes, the products' and posts'
text stays: buy buttons, sort and filter controls, the poster's badges and statistics. The pages
are made up; each test also cleans its page without the rule, to show the line is the rule's to
take."""

from __future__ import annotations

from cleaner import Rulebook, clean_text, load_rulebook

PRODUCTS = [
    "The Harbour mug holds a full pint of tea and keeps it warm for an hour, thanks to a double wall "
    "of stoneware glazed by hand in our workshop by the sea.",
    "The Lighthouse mug is smaller and lighter, with a wide handle that fits two fingers, and it is "
    "safe in the dishwasher and the microwave alike, as every mug we make is.",
    "The Fisher's flask keeps coffee hot for twelve hours on a boat or a hill, and its cup screws on "
    "tight enough that nothing spills in a rucksack on the roughest of days.",
]

POSTS = [
    "Put it in the fridge after a last feeding. A cold starter slows down so much that two weeks "
    "without food do it no harm, and it wakes up after two or three feedings at room temperature.",
    "You can also dry it: spread a thin layer on baking paper, let it dry for a day, break it into "
    "flakes and keep them in a jar. Flakes keep for months and come back with flour and water.",
    "I leave mine with a neighbour who bakes too. She feeds it twice a week and I bring her a loaf "
    "when I am back, which has worked for three summers now without any trouble at all.",
]


def _page(*parts: str) -> str:
    return "\n\n".join(parts) + "\n"


def _lines(text: str) -> list[str]:
    return text.split("\n\n")


def _both(page: str, rule: str, rulebook: Rulebook) -> tuple[list[str], list[str]]:
    """The page's lines cleaned with every rule, and without ``rule``."""
    without = load_rulebook(disabled=[rule])
    return _lines(clean_text(page, rulebook).text), _lines(clean_text(page, without).text)


def _shop(*item_lines: str) -> str:
    return _page("Mugs and flasks", *(part for product in PRODUCTS for part in (product, *item_lines)))


def _thread(*post_lines: str) -> str:
    return _page("Keeping a starter alive on holiday",
                 *(part for post in POSTS for part in (*post_lines, post)))


def test_a_shop_s_buy_buttons_go_and_its_products_stay(rulebook: Rulebook) -> None:
    page = _shop("Add to cart")
    kept, without = _both(page, "generic/cart-buttons", rulebook)
    assert all(product in kept for product in PRODUCTS)
    assert "Add to cart" not in kept
    assert "Add to cart" in without


def test_a_sentence_about_the_cart_stays(rulebook: Rulebook) -> None:
    line = "Add to cart the mugs you want, then check out: we ship within two days."
    assert line in _lines(clean_text(_shop(line), rulebook).text)


def test_a_listing_s_sort_and_filter_controls_go(rulebook: Rulebook) -> None:
    controls = ["Sort by: Price, low to high", "Filter by: Colour"]
    page = _page("Mugs and flasks", PRODUCTS[0], *controls, *PRODUCTS[1:])
    kept, without = _both(page, "generic/sort-and-filter-labels", rulebook)
    assert all(product in kept for product in PRODUCTS)
    assert not set(controls) & set(kept)
    assert set(controls) <= set(without)


def test_a_poster_s_statistics_and_badges_go(rulebook: Rulebook) -> None:
    page = _thread("Thread starter", "Posts: 1,571", "410 posts · Joined 2002")
    kept, without_stats = _both(page, "generic/forum-poster-stats", rulebook)
    assert all(post in kept for post in POSTS)
    assert not {"Thread starter", "Posts: 1,571", "410 posts · Joined 2002"} & set(kept)
    assert "Posts: 1,571" in without_stats
    _, without_badges = _both(page, "generic/forum-poster-badges", rulebook)
    assert "Thread starter" in without_badges


def test_headings_that_read_like_controls_stay(rulebook: Rulebook) -> None:
    # A spreadsheet tutorial's subheadings, and panellists each named a moderator.
    page = _page("Sorting and filtering a table", PRODUCTS[0], "Sort by date", PRODUCTS[1], "Moderator",
                 PRODUCTS[2], "Filter by color", POSTS[0], "Moderator", POSTS[1])
    kept = _lines(clean_text(page, rulebook).text)
    assert {"Sort by date", "Filter by color"} <= set(kept)
    assert kept.count("Moderator") == 2

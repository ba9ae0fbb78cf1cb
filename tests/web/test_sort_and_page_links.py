"""A heading's sort link and a page link: the query with one parameter set, written as
``QueryDict`` writes it (``tables.with_parameter`` against ``tables.query_with``)."""

import pytest
from django.test import RequestFactory

from projects.web.tables import Column, headers, page_links, query_with, with_parameter

QUERIES = [
    "",
    "programme=SJGJ2024",
    "p-sort=-investment_rate&p-page=2&p-per_page=2",
    "programme=SJGJ2024&p-sort=name",
    "p-page=3&programme=SJGJ2024&p-sort=code&unit=JD-CY",
    "p-sort=a&p-sort=b&x=1",
    "unit=%E5%9F%8E%E9%98%B3+%E8%A1%97%E9%81%93&p-sort=&a%26b=c%3Dd",
    "q=%25s+100%25&empty=&p-page=9",
    "%E7%8A%B6%E6%80%81=%E5%B7%B2%E5%BC%80%E5%B7%A5&p-per_page=100&p-page=2",
]
VALUES = ["name", "-investment_rate", "城阳 街道", "a&b=c", "100%", 3, ""]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("key", ["p-sort", "p-page", "unit-sort", "状态"])
def test_one_parameter_set_is_written_as_the_query_dict_writes_it(query, key):
    request = RequestFactory().get(f"/reports/2024/q1/?{query}")
    link = with_parameter(request.GET, key)
    for value in VALUES:
        assert link(value) == query_with(request, **{key: value})


def test_the_request_keeps_its_query():
    request = RequestFactory().get("/reports/2024/q1/?p-sort=name&programme=X")
    with_parameter(request.GET, "p-sort")("code")
    assert request.GET.urlencode() == "p-sort=name&programme=X"


def test_headings_link_each_column_the_other_way_round_and_page_links_keep_the_rest():
    request = RequestFactory().get("/reports/2024/q1/?programme=X&p-sort=name&p-page=2")
    columns = [
        Column("code", "代码"),
        Column("name", "名称"),
        Column("note", "备注", orderable=False),
    ]
    code, name, note = headers(request, "p", columns, "name")
    assert (code.href, code.sorted) == ("?programme=X&p-sort=code&p-page=2", "")
    assert (name.href, name.sorted) == ("?programme=X&p-sort=-name&p-page=2", "asc")
    assert note.href is None

    class Page:
        number, num_pages = 2, 3

    hrefs = [link.href for link in page_links(request, "p", Page())]
    assert hrefs == [f"?programme=X&p-sort=name&p-page={n}" for n in (1, 2, 3)]

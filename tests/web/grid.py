"""Helpers for posting the entry grid as a browser would."""

from django.urls import reverse

URL = reverse("entry")
MARCH = {"year": 2024, "month": 3}


def form_data(client, params=MARCH, **overrides):
    """The grid's form as the page renders it, with ``overrides`` typed in."""
    response = client.get(URL, params)
    data = {"year": params["year"], "month": params["month"]}
    for form in response.context["formset"]:
        for name in form.fields:
            value = form[name].value()
            if name == "confirm":
                continue
            data[form.add_prefix(name)] = "" if value is None else str(value)
    mgmt = response.context["formset"].management_form
    for name in mgmt.fields:
        data[mgmt.add_prefix(name)] = str(mgmt[name].value())
    data.update(overrides)
    return data

"""Reaching an incident's circle on the map as a reader does (issue 20).

Sites are drawn above incidents, so that a site opens from the middle of its
icon; an incident on its site's point, or sharing its point with others, sits
under the icon or the others until its point's stack badge fans them out. A real
click on the circle then lands on it, and on nothing else.
"""

import re

from playwright.sync_api import expect


def incident_marker(page, incident_id):
    return page.locator(f'.bw-incident-marker[data-incident-id="{incident_id}"]')


def fan_out(page, incident_id):
    """Fan out the circles at the incident's point, if they are stacked there."""
    marker = incident_marker(page, incident_id)
    expect(marker).to_have_attribute("data-point", re.compile(r"\S"))
    point = marker.get_attribute("data-point")
    badge = page.locator(f'.bw-stack[data-point="{point}"]')
    if badge.count() and badge.get_attribute("aria-expanded") != "true":
        badge.click()
        expect(badge).to_have_attribute("aria-expanded", "true")
    return marker


def click_incident(page, incident_id):
    """A real click on the incident's circle, fanned out first when stacked."""
    fan_out(page, incident_id).click()

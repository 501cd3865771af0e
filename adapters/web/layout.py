"""The page shell every page shares: GOV.UK Frontend's page template, written out.

Skip link, a header naming the service (not the GOV.UK header: this is not a GOV.UK service),
the service navigation with only the areas the signed-in person may use, the main content,
and a footer. Titles follow the Design System's pattern ("Error: " first when a form has
problems). A page showing the record as it stood in the past says so in a banner at the top of
the content and in its title.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from adapters.app.authority import LOG_READINGS, Reading
from adapters.web.assets import GOVUK_SCRIPT, SCRIPT, STYLESHEET
from adapters.web.components import error_summary
from adapters.web.glossary import role_label
from adapters.web.html import Child, Html, el, join, raw
from domain.governance.subjects import REGISTRARS
from domain.kernel.roles import Role

SERVICE = "Learning review records"
PAGES = "/pages"


class Viewer(msgspec.Struct, frozen=True, kw_only=True):
    """The signed-in person looking at a page, the roles the registry gives them now, and their form token."""

    actor: str
    roles: frozenset[Role]
    form_token: str

    def holds(self, *roles: Role) -> bool:
        return bool(self.roles & set(roles))


IG_ROLES = (Role.IG_OFFICER,)
RETENTION_ROLES = (Role.RECORDS_MANAGER, Role.IG_OFFICER)
# The Chief Officers Group and the committee watch timeliness; the officers who answer for it too.
TIMELINESS_ROLES = (Role.COG, Role.CPC, Role.CPC_OFFICER, Role.IG_OFFICER)


def navigation(viewer: Viewer) -> list[tuple[str, str, str]]:
    """(key, text, href) of the areas this person may use."""
    items = [("my-work", "My work", f"{PAGES}/my-work"), ("reviews", "Reviews", f"{PAGES}/reviews")]
    items.append(("integrity", "Integrity", f"{PAGES}/integrity"))
    if viewer.holds(*TIMELINESS_ROLES):
        items.append(("timeliness", "Timeliness", f"{PAGES}/timeliness"))
    if viewer.holds(*REGISTRARS):
        items.append(("subjects", "People", f"{PAGES}/subjects"))
    if viewer.holds(*IG_ROLES):
        items.append(("requests", "Information requests", f"{PAGES}/requests"))
    if viewer.holds(*RETENTION_ROLES):
        items.append(("retention", "Retention", f"{PAGES}/retention"))
    if viewer.roles & LOG_READINGS[Reading.ACCESS_LOG]:
        items.append(("access-log", "Access log", f"{PAGES}/access-log"))
    return items


def form(action: str, viewer: Viewer | None, *children: Child, method: str = "post", **attrs: object) -> Html:
    """A form; a POST form carries the session's form token."""
    token = (
        el("input", type="hidden", name="form_token", value=viewer.form_token)
        if viewer is not None and method == "post"
        else None
    )
    return el("form", token, *children, action=action, method=method, novalidate=True, **attrs)


def _header(viewer: Viewer | None, current: str | None) -> Html:
    service_header = el(
        "div",
        el(
            "div",
            el(
                "div",
                el(
                    "a", "reviewledger", href=f"{PAGES}/reviews", class_="govuk-generic-header__homepage-link"
                ),
                class_="govuk-generic-header__logo",
            ),
            class_="govuk-generic-header__container govuk-width-container",
        ),
        class_="govuk-generic-header",
    )
    items = navigation(viewer) if viewer is not None else []
    nav_items = [
        el(
            "li",
            el(
                "a",
                el("strong", text, class_="govuk-service-navigation__active-fallback")
                if key == current
                else text,
                href=href,
                class_="govuk-service-navigation__link",
                aria_current="page" if key == current else None,
            ),
            class_="govuk-service-navigation__item"
            + (" govuk-service-navigation__item--active" if key == current else ""),
        )
        for key, text, href in items
    ]
    if viewer is not None:
        nav_items.append(
            el(
                "li",
                form(
                    f"{PAGES}/sign-out",
                    viewer,
                    el(
                        "button",
                        "Sign out",
                        hidden(f" ({viewer.actor})"),
                        type="submit",
                        class_="govuk-service-navigation__link rl-sign-out",
                    ),
                ),
                class_="govuk-service-navigation__item",
            )
        )
    nav = (
        el(
            "nav",
            el(
                "button",
                "Menu",
                type="button",
                class_="govuk-service-navigation__toggle govuk-js-service-navigation-toggle",
                aria_controls="navigation",
                hidden=True,
                aria_hidden="true",
            ),
            el("ul", nav_items, class_="govuk-service-navigation__list", id="navigation"),
            aria_label="Menu",
            class_="govuk-service-navigation__wrapper",
        )
        if nav_items
        else None
    )
    service_navigation = el(
        "section",
        el(
            "div",
            el(
                "div",
                el(
                    "span",
                    el("a", SERVICE, href=f"{PAGES}/reviews", class_="govuk-service-navigation__link"),
                    class_="govuk-service-navigation__service-name",
                ),
                nav,
                class_="govuk-service-navigation__container",
            ),
            class_="govuk-width-container",
        ),
        aria_label="Service information",
        class_="govuk-service-navigation",
        data_module="govuk-service-navigation",
    )
    return el("header", service_header, service_navigation, class_="govuk-template__header")


def hidden(text: str) -> Html:
    return el("span", text, class_="govuk-visually-hidden")


def _footer(viewer: Viewer | None) -> Html:
    signed_in = (
        f"Signed in as {viewer.actor} ({', '.join(sorted(role_label(r) for r in viewer.roles)) or 'no roles'})."
        if viewer
        else None
    )
    return el(
        "footer",
        el(
            "div",
            el(
                "div",
                el(
                    "div",
                    el("h2", "Support links", class_="govuk-visually-hidden"),
                    el(
                        "ul",
                        el(
                            "li",
                            el(
                                "a",
                                "Verify the record",
                                href=f"{PAGES}/integrity",
                                class_="govuk-footer__link",
                            ),
                            class_="govuk-footer__inline-list-item",
                        ),
                        el(
                            "li",
                            el("a", "API description", href="/openapi.json", class_="govuk-footer__link"),
                            class_="govuk-footer__inline-list-item",
                        ),
                        class_="govuk-footer__inline-list",
                    ),
                    el("div", signed_in, class_="govuk-footer__meta-custom") if signed_in else None,
                    el(
                        "div",
                        "Every step is signed by the person who took it and logged in a tamper-evident record.",
                        class_="govuk-footer__meta-custom",
                    ),
                    class_="govuk-footer__meta-item govuk-footer__meta-item--grow",
                ),
                class_="govuk-footer__meta",
            ),
            class_="govuk-width-container",
        ),
        class_="govuk-footer govuk-template__footer",
    )


def page(
    title: str,
    content: Child,
    *,
    viewer: Viewer | None,
    current: str | None = None,
    errors: Sequence[tuple[str, str]] = (),
    historical: str | None = None,
    before: Child = None,
) -> Html:
    """A whole page. `historical` names the moment a page replays the record at."""
    full_title = ("Error: " if errors else "") + title + (f" (as at {historical})" if historical else "")
    return join(
        [
            raw("<!DOCTYPE html>\n"),
            el(
                "html",
                el(
                    "head",
                    el("meta", charset="utf-8"),
                    el("title", f"{full_title} – {SERVICE}"),
                    el(
                        "meta",
                        name="viewport",
                        content="width=device-width, initial-scale=1, viewport-fit=cover",
                    ),
                    el("meta", name="theme-color", content="#0b0c0c"),
                    el("link", rel="stylesheet", href=f"/assets/{STYLESHEET}"),
                    el("link", rel="modulepreload", href=f"/assets/{GOVUK_SCRIPT}"),
                ),
                el(
                    "body",
                    el(
                        "a",
                        "Skip to main content",
                        href="#main-content",
                        class_="govuk-skip-link",
                        data_module="govuk-skip-link",
                    ),
                    _header(viewer, current),
                    el(
                        "div",
                        before,
                        el(
                            "main",
                            error_summary(errors) if errors else None,
                            _historical(historical) if historical else None,
                            content,
                            class_="govuk-main-wrapper",
                            id="main-content",
                        ),
                        class_="govuk-width-container",
                    ),
                    _footer(viewer),
                    el("script", type="module", src=f"/assets/{SCRIPT}"),
                    class_="govuk-template__body",
                ),
                lang="en",
                class_="govuk-template",
            ),
        ]
    )


def _historical(moment: str) -> Html:
    return el(
        "div",
        el(
            "div",
            el("h2", "Historical view", class_="govuk-notification-banner__title", id="historical-title"),
            class_="govuk-notification-banner__header",
        ),
        el(
            "div",
            el(
                "p",
                f"This is the record as it stood at {moment}, replayed from the log. It is not the record now.",
                class_="govuk-notification-banner__heading",
            ),
            class_="govuk-notification-banner__content",
        ),
        class_="govuk-notification-banner",
        role="region",
        aria_labelledby="historical-title",
        data_module="govuk-notification-banner",
    )

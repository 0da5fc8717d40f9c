/**
 * One incident as a card of DOM nodes, the same on the map (its popups and the
 * panel's "Location unknown") and on a site page, with the helpers it is made of:
 * dates, casualty counts, names, sources. Words come from the `locale` passed in
 * (common/locale.js), nothing from the page at import.
 *
 * Incident text comes from untrusted reporting: it is only ever text (el() makes
 * text nodes), and a source URL only becomes a link when it is http(s).
 */

import { el, safeHttpUrl } from "./dom.js";

/**
 * The card and its parts for one page. `incidentPageUrl(id)`, when given, is the
 * incident's own page (facts and corrections log), linked from the card.
 */
export function createCard(locale, { incidentPageUrl = () => null } = {}) {
  const { labels, text, label, formatCount, isArabic, nameSeparator } = locale;

  /** null is "not reported", 0 is "none reported": the two must never look alike. */
  function casualtyText(value) {
    if (value === null || value === undefined) return text.not_reported;
    if (value === 0) return text.none_reported;
    return formatCount(value);
  }

  function weaponLabel(weapon) {
    return weapon ? label("weapon", weapon) : text.no_weapon;
  }

  function dateNode(props) {
    const node = el("span", { className: "bw-date" });
    node.append(el("time", { datetime: props.occurred_on }, props.occurred_on));
    const precision = (labels.date_precision || {})[props.date_precision];
    if (precision) {
      node.append(" ", el("span", { className: "bw-precision" }, `(${precision})`));
    }
    return node;
  }

  /** One name in the page's language, as an element marked with its direction. */
  function nameNode(obj, tag = "span") {
    return el(tag, locale.nameProps(obj), locale.displayName(obj));
  }

  /**
   * A site's (or actor's) name in the page's language, then its name in the other
   * language when it has one: "Al-Omar حقل العمر" on an English page, the
   * reverse on an Arabic one. Each name is its own element with lang and dir.
   */
  function bothNames(obj, tag = "span") {
    const nodes = [nameNode(obj, tag)];
    if (obj.name_ar) {
      const other = isArabic
        ? el("span", { lang: "en", dir: "ltr" }, obj.name)
        : el("span", { lang: "ar", dir: "rtl" }, obj.name_ar);
      nodes.push(" ", other);
    }
    return nodes;
  }

  /** An incident's sites in the page's language, as one node (text only). */
  function siteNames(props) {
    if (!props.sites.length) return text.no_site;
    const node = el("span", { className: "bw-site-names" });
    props.sites.forEach((site, index) => {
      if (index) node.append(nameSeparator);
      node.append(nameNode(site));
    });
    return node;
  }

  /** A definition list of [term, value, className] rows. */
  function facts(rows) {
    const list = el("dl", { className: "bw-facts" });
    for (const [term, value, className] of rows) {
      list.append(el("div", { className }, el("dt", {}, term), el("dd", {}, value)));
    }
    return list;
  }

  function sourceItem(source) {
    const item = el("li", { className: "bw-source" });
    item.append(el("span", { className: "bw-publisher", dir: "auto" }, source.publisher));
    if (source.language) {
      item.append(" ", el("span", { className: "bw-language" }, `(${source.language})`));
    }
    item.append(" · ", el("span", { className: "bw-stance" }, label("stance", source.stance)));
    const href = safeHttpUrl(source.url);
    const title = source.title || source.url;
    if (href) {
      const props = {
        href,
        rel: "noopener noreferrer",
        target: "_blank",
        lang: source.language,
        dir: "auto",
      };
      item.append(" ", el("a", props, title));
    } else if (title) {
      // Shown, so a reader sees what was recorded, but not clickable.
      item.append(" ", el("span", { className: "bw-unlinked", dir: "auto" }, title));
    }
    if (source.quote) {
      item.append(el("q", { className: "bw-source-quote", dir: "auto" }, source.quote));
    }
    if (source.note) {
      item.append(el("div", { className: "bw-source-note", dir: "auto" }, source.note));
    }
    return item;
  }

  function actorsNode(actors) {
    if (!actors.length) return text.none;
    const list = el("ul", { className: "bw-actors" });
    for (const actor of actors) {
      list.append(el("li", {}, nameNode(actor), ` (${label("role", actor.role)})`));
    }
    return list;
  }

  function confidenceNode(confidence) {
    const explanation = (labels.confidence_explanation || {})[confidence];
    return el(
      "span",
      {},
      el(
        "span",
        { className: `bw-confidence bw-confidence-${confidence}` },
        label("confidence", confidence),
      ),
      explanation ? el("small", {}, ` — ${explanation}`) : null,
    );
  }

  /**
   * An incident's card: an <article> titled by its date in an h`level` (its
   * sources under an h`level + 1`). `className` and `titleClassName` are the
   * page's; `withId` marks the article with data-incident-id (else the caller's
   * container carries it); `withSites` adds the row naming its sites.
   */
  function incidentCard(
    props,
    { level = 2, className = "bw-incident", titleClassName, withId = true, withSites = true } = {},
  ) {
    const article = el("article", {
      className,
      "data-incident-id": withId ? String(props.id) : null,
    });
    article.append(el(`h${level}`, { className: titleClassName }, dateNode(props)));
    const rows = [
      [text.event_type, label("event_type", props.event_type), "bw-event"],
      [text.weapon, weaponLabel(props.weapon), "bw-weapon"],
    ];
    if (withSites) rows.push([text.sites, siteNames(props), "bw-sites"]);
    rows.push(
      [text.injured, casualtyText(props.injured), "bw-injured"],
      [text.killed, casualtyText(props.killed), "bw-killed"],
      [text.confidence, confidenceNode(props.confidence), "bw-confidence-row"],
      [text.actors, actorsNode(props.actors), "bw-actors-row"],
    );
    article.append(facts(rows));
    if (props.summary) {
      article.append(el("p", { className: "bw-summary", dir: "auto" }, props.summary));
    }
    article.append(el(`h${level + 1}`, { className: "bw-sources-title" }, text.sources));
    if (props.sources.length) {
      article.append(el("ul", { className: "bw-sources" }, ...props.sources.map(sourceItem)));
    } else {
      article.append(el("p", { className: "bw-no-sources" }, text.no_sources));
    }
    const page = Number.isInteger(props.id) ? incidentPageUrl(props.id) : null;
    if (page && text.incident_page) {
      const link = el("a", { href: page }, text.incident_page);
      article.append(el("p", { className: "bw-incident-page" }, link));
    }
    return article;
  }

  return {
    bothNames,
    casualtyText,
    dateNode,
    facts,
    incidentCard,
    nameNode,
    siteNames,
    sourceItem,
    weaponLabel,
  };
}

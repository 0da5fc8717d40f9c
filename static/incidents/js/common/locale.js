/**
 * A page's words and language, made from what the caller passes in (the labels
 * Django translated, the page's lang): nothing is read from a page here, so this
 * loads anywhere and is unit-tested without a browser.
 *
 *   const locale = createLocale({ labels: JSON.parse(node.textContent), lang });
 */

/**
 * `labels` is the page's #bw-labels JSON (choice names by group, and `text`);
 * `lang` the page's language as Django set it on <html lang>.
 */
export function createLocale({ labels, lang = "en" }) {
  const pageLang = lang || "en";
  const isArabic = pageLang.toLowerCase().startsWith("ar");
  // Numbers are written in Latin digits in every language ("-u-nu-latn"): dates
  // (ISO, 2023-11-15), coordinates and the address bar are in Latin digits anyway,
  // and one page mixing them with Arabic-Indic counts would read inconsistently.
  // Separators still follow the language.
  const numberFormat = new Intl.NumberFormat(`${pageLang}-u-nu-latn`);
  return {
    labels,
    text: labels.text || {},
    pageLang,
    isArabic,
    /** Between names in a list: the Arabic comma on an Arabic page. */
    nameSeparator: isArabic ? "\u060c " : ", ",

    /** A choice's translated name (`group` e.g. "weapon"); the value if unknown. */
    label(group, value) {
      return (labels[group] && labels[group][value]) || value;
    },

    formatCount(value) {
      return numberFormat.format(value);
    },

    /**
     * A site's or an actor's name in the page's language: its Arabic name on an
     * Arabic page when it has one, else its (English) name.
     */
    displayName(obj) {
      if (!obj) return "";
      if (isArabic && obj.name_ar) return obj.name_ar;
      return obj.name || "";
    },

    /**
     * Props for the element holding `displayName(obj)`: the Arabic name is marked
     * as Arabic and right-to-left; any other name gets dir="auto", so a name in
     * either script keeps its order inside text of the other direction.
     */
    nameProps(obj) {
      return isArabic && obj && obj.name_ar ? { lang: "ar", dir: "rtl" } : { dir: "auto" };
    },
  };
}

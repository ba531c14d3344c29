"""Words: the language (translation catalogue, Babel number and date formats), labels,
formatting of figures, the sentences sections use and the summary page."""

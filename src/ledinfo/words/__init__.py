"""Words: labels, the formatting of figures and verdicts, and the sentences sections use (the language and
its catalogue are :mod:`ledinfo.language`; the summary page is :mod:`ledinfo.texts.summary`)."""

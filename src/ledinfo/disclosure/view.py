"""Who a pack is for — the audience, their team, the language — and the phrasing that depends on it.

Disclosure filters by the view; sections, the summary page and the renderers phrase each number through
it, so what a figure hides is said the same way everywhere (:meth:`View.words`).
"""

from __future__ import annotations

from dataclasses import dataclass

from ledinfo.disclosure.team_rows import TeamRows
from ledinfo.extract.point_in_time import DataSpan
from ledinfo.language import Language
from ledinfo.model.audiences import audience
from ledinfo.model.config import Municipality
from ledinfo.model.pack_periods import PackPeriods
from ledinfo.model.period import Period
from ledinfo.model.results import Figure, ForReaders, Message
from ledinfo.model.verdicts import Margin
from ledinfo.words.formatting import figure_words, no_cases
from ledinfo.words.verdicts import verdict_text


@dataclass(frozen=True)
class View:
    """Who a pack is for: the audience, their team (team leaders), and the language."""

    audience: str
    language: Language
    team: str | None = None
    threshold: int = 5
    municipality: Municipality = Municipality()
    period: Period | None = None
    rows: TeamRows | None = None  # a team leader's: the ids the team may see (ledinfo.disclosure.team_rows)
    outside_data: DataSpan | None = None  # set when the period was built outside the data's span, on request
    margin: Margin = Margin()  # how near a yardstick counts as "close" ([verdicts]): stated wherever a verdict is
    # which period stands for each indicator in the pack (its own, or the last whole quarter where the template shows
    # the indicator by whole quarter only); None: the pack's own period for every indicator
    periods: PackPeriods | None = None

    def period_of(self, indicator: str) -> Period | None:
        """The period whose figure of ``indicator`` the pack shows as its own (:class:`PackPeriods`)."""
        return self.periods.of(indicator) if self.periods is not None else self.period

    def words(self, figure: Figure) -> str:
        """A figure's number as a sentence says it: its value, or how it is hidden ("færre end 5" only for a small
        count). The one way a section phrases a number the audience may not see — never write "fewer than" yourself:
        a number hidden so that another cannot be worked out may be any size."""
        return figure_words(self.language, figure, self.threshold)

    def no_cases(self, result, indicator: str) -> bool:
        """Whether the pack names ``indicator``'s key figure in its one sentence under the tiles ("Ingen af teamets
        sager indgår i: …"): a tile of the section none of the pack's cases count in now. A section then says no
        other sentence of it having no cases ("Ingen anbringelse sluttede …"): the pack says it once."""
        return indicator in result.headline and no_cases(result, indicator, self.team)

    def verdict(self, figure: Figure | None) -> str | None:
        """The figure's verdict in words ("Ikke nået: årsmålet på mindst 90 %"), the same in every pack; None when
        it is not judged. The one way a section says how a figure stands: never judge one yourself."""
        if figure is None or figure.verdict is None:
            return None
        return verdict_text(self.language, figure.verdict, self.threshold)

    def pick(self, message: Message | ForReaders) -> Message:
        """The way of a :class:`ForReaders` note this pack's reader reads — in words for the committee and directors,
        with the extract's column name for a team leader; any other message as it is."""
        if not isinstance(message, ForReaders):
            return message
        return message.technical if audience(self.audience).sees_extract_names else message.plain

    def staff(self, identifier: str | None) -> str:
        """A staff id as this pack shows it (the one way a section names a caseworker in a sentence): in a team
        leader's pack with the name the extract gives and its mark ("R025 Mette Hansen (fratrådt)"); "–" for none.
        The ids in a table's id columns are shown so already (ledinfo.disclosure.disclose.mark_ids)."""
        if identifier is None:
            return "–"
        if self.rows is None:
            return identifier
        return self.rows.shown(identifier, self.language, audience(self.audience).sees_staff_names)

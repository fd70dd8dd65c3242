"""The 11-hour rest rule (hviletid), checked the way Arbejdstilsynet reads it, for any number of shifts.

The rule: look back 24 hours from *any moment of working time*; within that window there must
be 11 consecutive hours free of work. Shifts that touch each other, and on-call time on site or
a call-in, count as one stretch of work; on-call at home without a call-in is rest. Agreements
may reduce the rest to 8 hours, at most 10 times a month and 45 times a year.

Why checking the end of each stretch is enough: while a stretch of work goes on, the look-back
window only loses free time at its left edge and gains work at its right, so the longest free
interval in the window can only shrink. The binding moment of a stretch is therefore its end,
and a stretch *breaches* the rule when the 24 hours before its end hold no free interval of
11 hours. (A stretch of more than 13 hours always does: at most 24 − 13 = 11 hours of the window
lie before it. A 16-hour double shift leaves at most 8.)

The computation is vectorised: sort by person and start (``numpy.lexsort``), merge touching
intervals with a cumulative sum, then look back over the previous gaps with whole-array passes,
one pass per lag. A pass keeps only the stretches that are still undecided, and almost every
stretch is decided by the gap right before it, so 10 million shifts take a few seconds (see
``benchmarks/bench_rest_time.py``).

Overlapping shifts of the same person, and shifts that end before they start, are data errors:
they are reported, never merged silently.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from toolkit.core.definitions import Definition, define
from toolkit.core.errors import DataValidationError

#: On-call kinds of a shift row. ``at_home`` (on call at home, not called in) is rest.
ON_CALL_KINDS = ("none", "on_site", "at_home", "called_in")
#: On-call kinds that are working time.
WORKING_ON_CALL = ("none", "on_site", "called_in")

#: Category codes of a stretch of work.
OK, REDUCED, UNDER_REDUCED = 0, 1, 2
CATEGORY_NAMES = {OK: "ok", REDUCED: "reduced", UNDER_REDUCED: "under_reduced"}

_NS_PER_HOUR = 3_600 * 10**9
_MAX_SHOWN = 5


@dataclass(frozen=True)
class RestRule:
    """The rest rule's numbers (the defaults are the Danish rules).

    Attributes
    ----------
    rest_hours
        Consecutive hours of rest required in every look-back window (11).
    window_hours
        Length of the look-back window (24).
    reduced_rest_hours
        The shortest rest an agreement may allow (8).
    reduced_per_month, reduced_per_year
        How often a person's rest may be reduced (10 a month, 45 a year).
    """

    rest_hours: float = 11.0
    window_hours: float = 24.0
    reduced_rest_hours: float = 8.0
    reduced_per_month: int = 10
    reduced_per_year: int = 45

    def __post_init__(self) -> None:
        if not 0 < self.reduced_rest_hours <= self.rest_hours < self.window_hours:
            raise ValueError(
                "the rest rule needs 0 < reduced_rest_hours ≤ rest_hours < window_hours; got "
                f"{self.reduced_rest_hours}, {self.rest_hours}, {self.window_hours}"
            )


#: The Danish rules: 11 hours' rest in every 24, reducible to 8 at most 10 times a month, 45 a year.
DANISH_RULE = RestRule()

REST_TIME_BREACH = Definition(
    "rest_time_breach",
    "Hviletidsbrud (24-timers-reglen)",
    "Rest-time breach (24-hour rule)",
    "Arbejdstilsynets regel: fra ethvert tidspunkt i arbejdstiden ses 24 timer tilbage; i det "
    "vindue skal der være 11 sammenhængende timers hvile. Vagter, der støder op til hinanden, og "
    "rådighedsvagt på arbejdsstedet eller tilkald, tælles som ét sammenhængende arbejdsforløb; "
    "rådighedsvagt hjemme uden tilkald er hvile. Et forløb bryder reglen, når de 24 timer før "
    "dets slutning ikke rummer 11 timers sammenhængende hvile (et forløb på over 13 timer bryder "
    "den altid). Bruddet tælles i den måned, forløbet begynder, og deles efter den længste hvile "
    "i vinduet: under 8 timer, eller 8 til under 11 timer (nedsat hviletid). Faktiske tider "
    "bruges, hvor de er registreret, ellers de planlagte.",
    "Arbejdstilsynet's rule: from any moment of working time, look back 24 hours; that window "
    "must hold 11 consecutive hours of rest. Shifts that touch each other, and on-call time on "
    "site or a call-in, count as one stretch of work; on-call at home without a call-in is rest. "
    "A stretch breaches the rule when the 24 hours before its end hold no 11 consecutive hours "
    "of rest (a stretch of more than 13 hours always does). The breach is counted in the month "
    "the stretch starts and split by the longest rest in the window: under 8 hours, or 8 to "
    "under 11 hours (reduced rest). Actual times are used where registered, else planned ones.",
)
REDUCED_REST_CAPS = Definition(
    "reduced_rest_caps",
    "Nedsat hviletid og lofterne",
    "Reduced rest and the caps",
    "En aftale kan nedsætte hvilen til 8 timer, højst 10 gange om måneden og 45 gange om året pr. "
    "person. Antal personer over loftet tælles pr. måned og for kalenderåret til og med "
    "rapportens måned; personer vises aldrig enkeltvis.",
    "An agreement may reduce the rest to 8 hours, at most 10 times a month and 45 times a year "
    "per person. The number of persons above a cap is counted per month and for the calendar "
    "year up to the report's month; persons are never shown individually.",
)


# --------------------------------------------------------------------------- working time


def effective_times(shifts: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Start and end of each shift's working time: actual times where given, else planned.

    Parameters
    ----------
    shifts
        Rows with ``planned_start``, ``planned_end``, ``actual_start`` and ``actual_end``.

    Returns
    -------
    (Series, Series)
        Start and end (datetime64), on the index of ``shifts``.
    """
    start = shifts["actual_start"].fillna(shifts["planned_start"])
    end = shifts["actual_end"].fillna(shifts["planned_end"])
    return start.astype("datetime64[ns]"), end.astype("datetime64[ns]")


#: The time zone of a roster's clock times unless the parameters say otherwise.
DEFAULT_TIME_ZONE = "Europe/Copenhagen"


def instants(
    start: pd.Series, end: pd.Series, time_zone: str = DEFAULT_TIME_ZONE
) -> tuple[pd.Series, pd.Series]:
    """Local clock times of a roster as instants (UTC, without zone), so that durations are real hours.

    Hospitals keep shift times as local wall-clock times. Across a daylight-saving switch the
    clock difference is not the time worked: a night 22:00–06:00 lasts 7 hours on the spring
    night (the clock jumps from 02:00 to 03:00) and 9 hours on the autumn night (02:00–03:00
    comes twice). Durations and rest are therefore computed on the instants returned here.

    A clock time in the repeated hour of the autumn night is read as its first pass (summer
    time), an end as its first pass after the start (so 01:30–02:15 is 45 minutes, and a
    shift 02:30–02:15 ends in the second pass). A clock time that does not exist (02:00–03:00
    on the spring night) is read as if the clock had not been put forward yet (02:30 is
    03:30 summer time).

    Parameters
    ----------
    start, end
        Local clock times (datetime64 without zone; NaT allowed).
    time_zone
        IANA name of the roster's time zone.

    Returns
    -------
    (Series, Series)
        Start and end as UTC instants (datetime64[ns] without zone), on the same indexes.
    """
    first = _localised(start, time_zone, first_pass=True)
    end_first = _localised(end, time_zone, first_pass=True)
    end_second = _localised(end, time_zone, first_pass=False)
    later = end_second.where(~(end_first > first), end_first)
    return first, later


def _localised(local: pd.Series, time_zone: str, *, first_pass: bool) -> pd.Series:
    stamps = pd.DatetimeIndex(local.astype("datetime64[ns]"))
    aware = stamps.tz_localize(
        time_zone, ambiguous=np.full(len(stamps), first_pass), nonexistent=pd.Timedelta(hours=1)
    )
    return pd.Series(aware.tz_convert("UTC").tz_localize(None), index=local.index)


def local_times(utc: np.ndarray, time_zone: str = DEFAULT_TIME_ZONE) -> np.ndarray:
    """UTC instants (int64 nanoseconds or datetime64) back as local clock times (datetime64[ns])."""
    stamps = pd.DatetimeIndex(np.asarray(utc).view("datetime64[ns]"), tz="UTC")
    return stamps.tz_convert(time_zone).tz_localize(None).to_numpy()


def is_working(on_call: pd.Series) -> pd.Series:
    """True for rows that are working time (not on call at home)."""
    return on_call.isin(WORKING_ON_CALL)


def overlapping_rows(person: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Positions of intervals that overlap another interval of the same person.

    Touching intervals (one ends when the next starts) do not overlap. Intervals must not be
    reversed (see :func:`reversed_rows`).

    Returns
    -------
    ndarray
        Sorted positions (into the inputs) of every interval involved in an overlap.
    """
    n = len(start)
    if n < 2:
        return np.zeros(0, dtype=np.int64)
    s = _as_int64(start)
    e = _as_int64(end)
    order = np.lexsort((s, person))
    ps, ss, es = person[order], s[order], e[order]
    # Running maximum of the ends within a person: an interval overlaps if it starts before
    # any earlier interval of the same person has ended (not only the one just before).
    same = ps[1:] == ps[:-1]
    run_end = _running_max_by_group(es, np.r_[True, ~same])
    clash = same & (ss[1:] < run_end[:-1])
    if not clash.any():
        return np.zeros(0, dtype=np.int64)
    later = np.flatnonzero(clash) + 1
    # Mark the later interval and the earlier one it runs into (the one with the running max end).
    earlier = _argmax_positions(es, np.r_[True, ~same])[later - 1]
    return np.unique(order[np.concatenate([later, earlier])])


def reversed_rows(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Positions of intervals that do not end after they start."""
    return np.flatnonzero(~(_as_int64(end) > _as_int64(start)))


def _as_int64(values: np.ndarray | pd.Series) -> np.ndarray:
    arr = np.asarray(values)
    if np.issubdtype(arr.dtype, np.datetime64):
        return arr.astype("datetime64[ns]", copy=False).view(np.int64)
    return arr.astype(np.int64, copy=False)


def _running_max_by_group(values: np.ndarray, group_start: np.ndarray) -> np.ndarray:
    """Cumulative maximum of ``values`` that restarts where ``group_start`` is True."""
    group = np.cumsum(group_start)
    return pd.Series(values).groupby(group).cummax().to_numpy()


def _argmax_positions(values: np.ndarray, group_start: np.ndarray) -> np.ndarray:
    """For each position, the position of the running maximum within its group so far."""
    run = _running_max_by_group(values, group_start)
    idx = np.where(values == run, np.arange(len(values)), -1)
    return _running_max_by_group(idx, group_start)


# --------------------------------------------------------------------------- the check


@dataclass(frozen=True)
class Stretches:
    """Stretches of work and the outcome of the rest check (person level: stays in the library).

    Attributes
    ----------
    person
        The person code of each stretch (the codes given to :func:`check_rest`).
    first
        Position (into the input) of the stretch's first interval.
    start, end
        Start and end (int64 nanoseconds since the epoch).
    longest_rest_h
        The longest consecutive rest in the 24 hours before the stretch ends, in hours
        (capped at the window length).
    category
        :data:`OK`, :data:`REDUCED` (8 to under 11 hours) or :data:`UNDER_REDUCED` (under 8).
    """

    person: np.ndarray
    first: np.ndarray
    start: np.ndarray
    end: np.ndarray
    longest_rest_h: np.ndarray
    category: np.ndarray

    def __len__(self) -> int:
        return len(self.start)


@define(REST_TIME_BREACH)
def check_rest(
    person: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    rule: RestRule = DANISH_RULE,
    *,
    labels: Callable[[np.ndarray], Sequence[object]] | None = None,
) -> Stretches:
    """Check the rest rule for working-time intervals of many persons (vectorised).

    Parameters
    ----------
    person
        An integer (or other sortable) code of the person of each interval.
    start, end
        Start and end of each interval of working time (datetime64 or int64 nanoseconds).
        Rest (e.g. on call at home) must be left out.
    rule
        The rest rule.
    labels
        Names the intervals at the given positions in an error message (e.g. by their
        planned start); called only when there is an error. Default: the positions.

    Returns
    -------
    Stretches
        One entry per stretch of work (touching intervals merged), in person and time order.

    Raises
    ------
    DataValidationError
        If an interval does not end after it starts, or two intervals of the same person
        overlap. The message names the intervals (never the person).
    """
    person = np.asarray(person)
    s = _as_int64(start)
    e = _as_int64(end)
    n = len(s)
    if not (len(person) == n == len(e)):
        raise ValueError("person, start and end must have the same length")

    def names(rows: np.ndarray) -> np.ndarray:
        return np.asarray(rows if labels is None else labels(rows[:_MAX_SHOWN]))

    bad = reversed_rows(s, e)
    if len(bad):
        raise DataValidationError([_interval_problem("the end is not after the start", names(bad), len(bad))])
    empty = np.zeros(0, dtype=np.int64)
    if n == 0:
        return Stretches(person[:0], empty, empty, empty, np.zeros(0), np.zeros(0, dtype=np.int8))
    if _sorted_by_person_and_start(person, s):  # e.g. an extract ordered by employee and date
        order = np.arange(n)
        ps, ss, es = person, s, e
    else:
        order = np.lexsort((s, person))
        ps, ss, es = person[order], s[order], e[order]
    same = ps[1:] == ps[:-1]
    clash = same & (ss[1:] < es[:-1])
    if clash.any():
        rows = overlapping_rows(person, s, e)
        raise DataValidationError(
            [
                _interval_problem(
                    "working time overlaps another shift of the same employee", names(rows), len(rows)
                )
            ]
        )
    # Merge touching intervals into stretches.
    new = np.empty(n, dtype=bool)
    new[0] = True
    new[1:] = ~same | (ss[1:] > es[:-1])
    first_sorted = np.flatnonzero(new)
    last_sorted = np.r_[first_sorted[1:], n] - 1
    st_person = ps[first_sorted]
    a = ss[first_sorted]
    b = es[last_sorted]
    first = order[first_sorted]
    del ps, ss, es, same, clash, new, last_sorted, order, first_sorted  # keep the peak memory down
    longest = _longest_rest(st_person, a, b, rule)
    longest_h = longest / _NS_PER_HOUR
    category = np.where(
        longest_h >= rule.rest_hours,
        OK,
        np.where(longest_h >= rule.reduced_rest_hours, REDUCED, UNDER_REDUCED),
    ).astype(np.int8)
    return Stretches(st_person, first, a, b, longest_h, category)


def _sorted_by_person_and_start(person: np.ndarray, start: np.ndarray) -> bool:
    step = person[1:] != person[:-1]
    rising = person[1:] > person[:-1]
    return bool(np.all(np.where(step, rising, start[1:] >= start[:-1])))


def _longest_rest(person: np.ndarray, a: np.ndarray, b: np.ndarray, rule: RestRule) -> np.ndarray:
    """Longest free interval in ``[b_k − window, b_k]`` for every stretch ``k`` (nanoseconds).

    The free intervals are the gaps before stretches ``k, k−1, …`` of the same person (the gap
    before a person's first stretch is open to the left). Pass ``lag`` looks at the gap before
    stretch ``k − lag``; a stretch leaves the active set when it has found enough rest or when
    the gap no longer reaches into its window (earlier gaps cannot either). It does not leave
    when it has merely found enough rest: an earlier gap may be longer still (shifts 00:00–00:15
    and 11:15–11:30: the gap between them is 11 hours, the free time before the first 12,5 in
    the second's window), and the longest is what the report shows. A stretch leaves when no
    earlier gap can beat what it found: those lie before the start of the gap just looked at,
    so within the window they are at most that start minus the window's start.
    """
    n = len(a)
    window = round(rule.window_hours * _NS_PER_HOUR)
    open_left = np.iinfo(np.int64).min // 4
    gap_start = np.empty(n, dtype=np.int64)
    gap_start[0] = open_left
    gap_start[1:] = np.where(person[1:] == person[:-1], b[:-1], open_left)
    window_start = b - window
    # Lag 0, the gap right before each stretch, decides almost every stretch: whole arrays, no
    # gathering. (a_k > window start means the stretch is shorter than the window.)
    reaches = a > window_start
    longest = np.where(reaches, a - np.maximum(gap_start, window_start), 0)
    active = np.flatnonzero(reaches & (gap_start > window_start) & (gap_start - window_start > longest))
    lag = 1
    while len(active):
        m = active - lag  # ≥ 0: a stretch stays active only if the gap before it began in the window
        ws = window_start[active]
        gap_end = a[m]
        ok = (person[m] == person[active]) & (gap_end > ws)
        gs = gap_start[m]
        found = np.maximum(longest[active], np.where(ok, gap_end - np.maximum(gs, ws), 0))
        longest[active] = found
        # Keep the stretches whose gap began inside the window far enough from its start that an
        # earlier gap could be longer than what they found (the open gap before a first stretch
        # never leaves one active).
        active = active[ok & (gs > ws) & (gs - ws > found)]
        lag += 1
    return np.minimum(longest, window)


def _interval_problem(what: str, labels: np.ndarray, n: int) -> str:
    shown = ", ".join(str(x) for x in labels[:_MAX_SHOWN])
    more = n - min(n, _MAX_SHOWN)
    word = "shift" if n == 1 else "shifts"
    return (
        f"{word} {shown}"
        + (f" and {more} more" if more > 0 else "")
        + f": {what} (a data error; shifts are never merged silently)"
    )


__all__ = [
    "CATEGORY_NAMES",
    "DANISH_RULE",
    "DEFAULT_TIME_ZONE",
    "OK",
    "ON_CALL_KINDS",
    "REDUCED",
    "UNDER_REDUCED",
    "WORKING_ON_CALL",
    "RestRule",
    "Stretches",
    "check_rest",
    "effective_times",
    "instants",
    "is_working",
    "local_times",
    "overlapping_rows",
    "reversed_rows",
]

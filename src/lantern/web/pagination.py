"""Pages of a long list without counting all of it.

`Paginator.count` runs `COUNT(*)` over the whole filtered list on every page view. On a list of tens of
thousands of rows (an organisation's open cases, the audit log) that count costs more than the page itself,
and nobody reads "page 3 of 2,041". `WindowPaginator` counts only as far as it needs to: a fixed window
(`CAP` rows) or, for a page deep in the list, ten pages beyond it, whichever is larger. When the list is
longer, the page says "more than N" and keeps a Next link, so every row stays reachable; the filters are the
way to a shorter list. Lists shorter than the window are counted exactly, as before.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator

CAP = 1000  # rows counted at most on the first pages (a multiple of every page size used)
AHEAD = 10  # pages counted beyond the requested one when it lies past the cap
# A page number beyond this is treated as this one: the window and the SQL offset stay far inside a 64-bit
# integer (a page number of 23 digits made SQLite fail with "Python int too large"); such a page lies past
# the end of any list and shows the last counted page.
MAX_PAGE = 1_000_000


class WindowPaginator(Paginator):
    def __init__(self, object_list: Any, per_page: int, number: Any = 1) -> None:
        super().__init__(object_list, per_page)
        try:
            wanted = min(max(1, int(number)), MAX_PAGE)
        except (TypeError, ValueError):
            wanted = 1
        # A whole number of pages, so the last counted page is a full one.
        self.window = max(CAP // per_page, wanted + AHEAD) * per_page

    @cached_property
    def count(self) -> int:
        """Rows counted, at most `window` + 1 (the one beyond says there are more)."""
        object_list = self.object_list
        if isinstance(object_list, list):
            return min(len(object_list), self.window + 1)
        # Which rows fall in the window does not change how many do: no ORDER BY, so the database may
        # stop at the first window + 1 rows it finds in any order.
        return object_list.order_by()[: self.window + 1].count()

    def page(self, number: Any) -> Page:
        """As Paginator.page, except that a page at the end of the counted window is not cut to the count."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if not self.more and top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self.object_list[bottom:top], number, self)

    @property
    def more(self) -> bool:
        """The list goes on beyond what was counted."""
        return self.count > self.window

    @property
    def pages_counted(self) -> int:
        return self.window // self.per_page

    @property
    def counted(self) -> int:
        """The count to show: exact, or the window ("more than ...") when `more`."""
        return self.window if self.more else self.count


def paginate(object_list: Any, per_page: int, number: Any) -> Page:
    """The requested page (the last counted one when out of range, the first when not a number)."""
    try:
        if abs(int(number)) > MAX_PAGE:
            number = MAX_PAGE + 1  # past the end of any list: the last page
    except (TypeError, ValueError):
        pass  # not a number: Django's get_page gives the first page
    return WindowPaginator(object_list, per_page, number).get_page(number)

"""One page of a report on screen, from the same select its files stream in full."""
from __future__ import annotations

from flask_sqlalchemy.pagination import SelectPagination
from sqlalchemy import Select

from elearn.extensions import db

PER_PAGE = 50


class RowPagination(SelectPagination):
    """db.paginate for selects of several columns: each item is a whole row, not its first value."""

    def _query_items(self) -> list:
        select = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(select))


def report_page(stmt: Select, number: int) -> RowPagination:
    """Page ``number``; one far past the end is simply empty."""
    return RowPagination(select=stmt, session=db.session, page=number, per_page=PER_PAGE, max_per_page=PER_PAGE,
                         error_out=False)

"""The list envelope every collection endpoint returns, and its query parameters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class PageParams:
    page: int
    limit: int


class Page(BaseModel, Generic[T]):
    items: list[T]
    page: int
    limit: int
    total: int
    total_pages: int

    @classmethod
    def of(cls, items: list[T], total: int, params: PageParams) -> Page[T]:
        pages = (total + params.limit - 1) // params.limit
        return cls(
            items=items, page=params.page, limit=params.limit, total=total, total_pages=pages
        )


async def page_params(  # no I/O: awaited, not run in the thread pool
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> PageParams:
    return PageParams(page=page, limit=limit)


Paging = Annotated[PageParams, Depends(page_params)]

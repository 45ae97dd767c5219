"""The manager's office services, bundled so the `Services` container gains one attribute only."""

from __future__ import annotations

from dataclasses import dataclass

from ..catalogue.catalogue_edit import CatalogueEditor
from ..catalogue.service import CatalogueService
from ..core.actor import Actor
from ..core.context import ServiceContext
from ..stats.service import StatsService
from .admin import AdminService
from .exports import ExportService
from .retention import RetentionService
from .review import ReviewService


@dataclass(frozen=True)
class ManagerOffice:
    stats: StatsService
    review: ReviewService
    exports: ExportService
    retention: RetentionService
    admin: AdminService
    catalogue_editor: CatalogueEditor

    @classmethod
    def build(cls, ctx: ServiceContext, catalogue: CatalogueService) -> ManagerOffice:
        return cls(StatsService(ctx), ReviewService(ctx), ExportService(ctx),
                   RetentionService(ctx), AdminService(ctx), CatalogueEditor(catalogue))

    def monthly_report(self, actor: Actor, year: int, month: int) -> bytes:
        """The printed monthly report (PDF bytes); reportlab is imported only when asked."""
        from .monthly_report import monthly_report

        return monthly_report(self.stats, actor, year, month)

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from sightline.core.collection import few_collections
from sightline.demo.casework_load import demo_casework_load, demo_casework_summary
from sightline.demo.events_load import demo_events_load, demo_events_summary
from sightline.demo.generator import generate_borough
from sightline.demo.mace_seed import demo_mace_seed
from sightline.demo.review_seed import demo_review_seed
from sightline.demo.services import borough_load
from sightline.demo.workforce import workforce_generate, workforce_summary
from sightline.escalation.services import performance_months_rebuild
from sightline.escalation.services.backfill import clocks_backfill
from sightline.intel.services import intel_bulk_index
from sightline.referrals.models import Referral


class Command(BaseCommand):
    help = (
        "Generate a synthetic borough (agencies, staff, children, referrals with planted "
        "exploitation networks) and load it. The ground truth is written to a JSON file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--children", type=int, default=400)
        parser.add_argument("--years", type=int, default=2)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--networks",
            type=int,
            default=None,
            help="Planted networks (default: one per 150 children; 0 for none).",
        )
        parser.add_argument(
            "--truth",
            type=Path,
            default=None,
            help="Where to write the ground truth (default var/demo-truth.json).",
        )
        parser.add_argument(
            "--end",
            type=dt.date.fromisoformat,
            default=None,
            help="Last day of referrals (default: today).",
        )
        parser.add_argument(
            "--independent-details",
            action="store_true",
            help=(
                "Draw each mention of a network adult independently, as before ADR 0212 (by "
                "default each adult presents himself consistently across children)."
            ),
        )
        parser.add_argument(
            "--with-history",
            action="store_true",
            help=(
                "After loading, index the referrals for intelligence (alerts fire where they "
                "would have), start their statutory clocks and record a made-up casework "
                "history after the decisions that opened casework (demo/casework_load.py), as "
                "`make run` wants. Skipped with the load when --if-empty finds data."
            ),
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the database already holds referrals.",
        )

    @few_collections()  # the borough and its history built in memory (ADR 0910)
    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and Referral.objects.exists():
            self.stdout.write("The database already holds referrals: reusing them.")
            return
        if options["children"] < 1 or options["years"] < 1:
            self.stderr.write("--children and --years must be at least 1.")
            raise SystemExit(2)
        started = time.perf_counter()
        borough = generate_borough(
            children=options["children"],
            years=options["years"],
            seed=options["seed"],
            networks=options["networks"],
            end=options["end"] or timezone.localdate(),
            persona=not options["independent_details"],
        )
        generated = time.perf_counter()
        truth = options["truth"] or (Path(settings.BASE_DIR) / "var" / "demo-truth.json")
        report = borough_load(borough=borough, truth_path=truth)
        done = time.perf_counter()
        self.stdout.write(
            f"Synthetic borough {borough.name}: {report.children} children, "
            f"{report.referrals} referrals ({report.decided} decided, {report.screenings} "
            f"screenings), {report.users} new users. Generated in {generated - started:.1f}s, "
            f"loaded in {done - generated:.1f}s. Ground truth: {report.truth_path}"
        )
        workforce = workforce_generate(
            seed=options["seed"], today=options["end"] or timezone.localdate()
        )
        self.stdout.write(workforce_summary(workforce))
        if options["with_history"]:
            counts = intel_bulk_index()
            indexed = time.perf_counter()
            # No made-up assessment completions: the casework history below completes the
            # assessments, and their workflow meets the clocks (the steps and clocks agree).
            clocks = clocks_backfill(acting_user=None, demo_history=False)
            self.stdout.write(
                f"Indexed {counts['referrals']} referrals for intelligence ({counts['mentions']} "
                f"mentions, {counts['alerts']} alert changes) in {indexed - done:.1f}s; started "
                f"{clocks['clocks']} clocks in {time.perf_counter() - indexed:.1f}s."
            )
        # Partner events last, so their mentions meet the referrals' (issue 13 §4); their
        # return-interview clocks only with the other clocks' history.
        loaded = demo_events_load(borough=borough, clocks=options["with_history"])
        self.stdout.write(demo_events_summary(loaded))
        if options["with_history"]:
            begun = time.perf_counter()
            casework = demo_casework_load()
            self.stdout.write(
                f"{demo_casework_summary(casework)} In {time.perf_counter() - begun:.1f}s."
            )
        review = demo_review_seed()
        if review is not None:
            self.stdout.write(
                f"Case review {review.reference} started, the demo reviewer given access."
            )
        planned = demo_mace_seed()
        if planned is not None:
            self.stdout.write(
                f"MACE meeting {planned[0].reference} planned for {planned[0].held_on}, its "
                f"agenda built ({planned[1]} items)."
            )
        # the performance page's monthly counts, from the rows just loaded (ADR 0103)
        self.stdout.write(f"Performance months: {performance_months_rebuild()} rows.")

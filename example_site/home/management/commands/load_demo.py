"""Demo content for Exempelkommun, a fictional municipality.

Running it (again) rebuilds the demo: the previous demo pages go, and new ones
are created with dates relative to today, so every dialog shows the status it
was written for (upcoming, open, closed, decided, feedback given) whenever the
demo runs. Decision bodies and the admin user are reused.

Policy texts are quoted word for word from real municipalities' documents (see
/work/shared/seeds/ in the project notes), each with its source; only the
dialogs are fictional. The superuser it creates (admin / exempelkommun) is for
a local demo only.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site
from wagtail.search.index import insert_or_update_object
from wagtail.users.models import UserProfile

from home.demo.contributions import AREAS, park_contributions, travel_centre_contributions
from home.demo.dialogs import demo_dialogs
from home.demo.evaluation import SELF_ASSESSMENT, SURVEY
from home.demo.meetings import travel_centre_meetings, travel_centre_walk_views
from home.demo.policy import DIALOG_TYPES, FEEDBACK, GATE, LADDER, PRINCIPLES, PROCESS, WHAT_IS_IT
from home.demo.surveys import park_survey, travel_centre_survey
from home.demo.votes import rural_budget_votes, school_name_vote
from home.models import HomePage, PolicyPage
from wagtail_dialog.contributions import Contribution, ContributionStatus
from wagtail_dialog.contributions.permissions import MODERATORS_GROUP
from wagtail_dialog.dialogs.decision_bodies import DecisionBody, DecisionBodyKind
from wagtail_dialog.dialogs.pages import DialogIndexPage, DialogPage
from wagtail_dialog.dialogs.publication import publication_problems
from wagtail_dialog.dialogs.site_settings import DialogSiteSettings
from wagtail_dialog.followup.evaluation import EvaluationPrinciple, record_response, record_self_assessment
from wagtail_dialog.methods.votes import secrecy
from wagtail_dialog.search.indexing import refresh_terms

SITE_NAME = "Exempelkommun"
ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "exempelkommun"  # local demo only, printed on purpose
MODERATOR_USERNAME = "moderator"


class Command(BaseCommand):
    help = "Build (or rebuild) the Exempelkommun demo content and a local admin user."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", type=datetime.date.fromisoformat, default=None, metavar="YYYY-MM-DD",
            help="Build the demo as if today were this day (the tests use it for figures that do not drift).",
        )

    def handle(self, *args, **options):
        # The site's "today", the same day the status rules use.
        today = options["today"] or timezone.localdate()
        with transaction.atomic():
            rebuilt = self.remove_previous_demo()
            home = self.create_home()
            bodies = self.create_decision_bodies()
            policy = self.publish(
                home,
                PolicyPage(
                    title="Riktlinjer för medborgardialog",
                    slug="riktlinjer",
                    intro=(
                        "<p>Exempelkommun är en påhittad kommun och har inga egna riktlinjer. Sidan visar hur en "
                        "kommun kan beskriva sitt arbete med medborgardialog med blocken i wagtail-dialog. "
                        "Texterna är citerade ur styrdokument från Vara, Alingsås och Trelleborgs kommuner, och "
                        "källan står vid varje avsnitt.</p>"
                    ),
                    body=[WHAT_IS_IT, PRINCIPLES, GATE, LADDER, PROCESS, DIALOG_TYPES, FEEDBACK],
                ),
            )
            index = self.publish(
                home,
                DialogIndexPage(
                    title="Medborgardialoger",
                    slug="dialoger",
                    intro=(
                        "<p>Här samlar Exempelkommun sina medborgardialoger: frågor där de förtroendevalda vill "
                        "veta vad du tycker innan de fattar beslut. Varje dialog visar hur mycket du kan påverka, "
                        "vem som beslutar och när, och hur du får veta vad som hände med det du sa.</p>"
                        f'<p>Läs mer i <a linktype="page" id="{policy.pk}">Riktlinjer för medborgardialog</a>.</p>'
                    ),
                ),
            )
            dialogs = [self.create_dialog(index, *spec) for spec in demo_dialogs(today, bodies)]
            self.create_contributions(dialogs, today)
            surveys = self.create_surveys(dialogs, today)
            meetings = travel_centre_meetings(
                next(dialog for dialog in dialogs if dialog.slug == "trygghet-resecentrum"), self.publish, today)
            votes = self.create_votes(dialogs, today)
            site_settings = self.configure_site(home)
            self.create_evaluation(dialogs, site_settings)
            user = self.create_admin()
            moderator = self.create_moderator()

        verb = "Rebuilt" if rebuilt else "Created"
        self.stdout.write(self.style.SUCCESS(f"{verb} the {SITE_NAME} demo:"))
        for page in [home, policy, index, *dialogs, *surveys, *meetings, *(vote for vote, _ in votes)]:
            status = f"  [{page.status.label}]" if isinstance(page, DialogPage) else ""
            self.stdout.write(f"  {page.url}  {page.title}{status}")
        for vote, plain in filter(lambda pair: pair[1], votes):
            self.stdout.write(self.style.WARNING(
                f"Voting codes to try {vote.url} with (local demo only): "
                + ", ".join(secrecy.shown(code) for code in plain)))
        base_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        self.stdout.write(
            self.style.WARNING(
                f"Admin (local demo only): {base_url}/admin/  username {user.username!r}, password {ADMIN_PASSWORD!r}"
            )
        )
        self.stdout.write(
            self.style.WARNING(
                f"Moderator (local demo only): username {moderator.username!r}, password {ADMIN_PASSWORD!r}"
            )
        )

    def publish(self, parent, page, tags=()):
        parent.add_child(instance=page)
        if tags:
            page.tags.add(*tags)
        page.save_revision().publish()
        page.refresh_from_db()
        return page

    def remove_previous_demo(self):
        # Contributions hang on dialog pages; they go with them (CASCADE).
        """Delete earlier demo home pages and Wagtail's placeholder "Welcome" page.

        The default site is pointed at the tree root meanwhile, because deleting
        the page a site is rooted at would delete the site too.
        """
        root = Page.get_first_root_node()
        old = [
            page
            for page in root.get_children().specific()
            if isinstance(page, HomePage) or type(page) is Page  # noqa: E721  (exactly the placeholder)
        ]
        rebuilt = any(isinstance(page, HomePage) for page in old)
        site = Site.objects.filter(is_default_site=True).first()
        if site and any(site.root_page_id == page.pk for page in old):
            site.root_page = root
            site.save()
        for page in old:
            page.delete()
        return rebuilt

    def create_home(self):
        root = Page.get_first_root_node()
        home = self.publish(
            root,
            HomePage(
                title="Välkommen till Exempelkommun",
                slug="home",
                intro=(
                    "<p>Exempelkommun är en påhittad kommun. Här ser du vilka frågor du kan påverka just nu, hur "
                    "mycket du kan påverka och vad som blev resultatet av tidigare medborgardialoger.</p>"
                ),
            ),
        )
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            site = Site(hostname="localhost", port=80, is_default_site=True)
        site.root_page = home
        site.site_name = SITE_NAME
        site.save()
        Site.clear_site_root_paths_cache()
        return home

    def create_decision_bodies(self):
        specs = {
            "kf": ("Kommunfullmäktige", DecisionBodyKind.MUNICIPAL_COUNCIL),
            "ks": ("Kommunstyrelsen", DecisionBodyKind.EXECUTIVE_BOARD),
            "sbn": ("Samhällsbyggnadsnämnden", DecisionBodyKind.COMMITTEE),
            "bun": ("Barn- och utbildningsnämnden", DecisionBodyKind.COMMITTEE),
        }
        bodies = {}
        for key, (name, kind) in specs.items():
            bodies[key], _ = DecisionBody.objects.update_or_create(name=name, defaults={"kind": kind})
        return bodies

    def create_dialog(self, index, fields, children, tags):
        # The same rules the admin applies when an editor presses "Publish".
        problems = publication_problems(fields)
        if problems:
            details = "; ".join(f"{field}: {message}" for field, message in problems.items())
            raise CommandError(f"Demo dialog {fields['title']!r} would not pass publication: {details}")
        return self.publish(index, DialogPage(**fields, **children), tags=tags)

    def create_contributions(self, dialogs, today):
        by_slug = {dialog.slug: dialog for dialog in dialogs}
        specs = [
            (by_slug["park-och-lekplats-norrby"], park_contributions(320, today)),
            (by_slug["trygghet-resecentrum"], [*travel_centre_contributions(today), *travel_centre_walk_views(today)]),
        ]
        for dialog, rows in specs:
            Contribution.objects.bulk_create(Contribution(dialog=dialog, **row) for row in rows)
        # bulk_create skips save() and search indexing; do both so search works at once.
        demo = Contribution.objects.filter(dialog__in=[dialog for dialog, _ in specs])
        refresh_terms(contributions=demo, dialogs=DialogPage.objects.none())
        for contribution in demo.filter(status=ContributionStatus.PUBLISHED):
            insert_or_update_object(contribution)

    def create_surveys(self, dialogs, today):
        by_slug = {dialog.slug: dialog for dialog in dialogs}
        return [
            park_survey(by_slug["park-och-lekplats-norrby"], self.publish),
            travel_centre_survey(by_slug["trygghet-resecentrum"], self.publish, today),
        ]

    def create_votes(self, dialogs, today):
        by_slug = {dialog.slug: dialog for dialog in dialogs}
        return [
            *rural_budget_votes(by_slug["medborgarbudget-landsbygden"], self.publish, today),
            school_name_vote(by_slug["namn-nya-skolan-norrby"], self.publish, today),
        ]

    def configure_site(self, home):
        site = Site.objects.get(root_page=home)
        settings_ = DialogSiteSettings.for_site(site)
        # The notice on the form is built from these fields (GDPR article 13); the
        # text below is the "read more" after it.
        settings_.controller = "Kommunstyrelsen i Exempelkommun"
        settings_.data_protection_contact = "dataskyddsombud@exempelkommun.invalid"
        settings_.privacy_notice = (
            "<p>Texten i din synpunkt bevaras som allmän handling. Namn, e-postadress och andra personuppgifter "
            "tas bort efter den tid som står ovan, enligt kommunens dokumenthanteringsplan. Vill du veta vad vi "
            "har sparat om dig, eller invända mot behandlingen, kontaktar du kommunen eller dataskyddsombudet.</p>"
            "<p>Exempelkommun är påhittad: detta är en exempeltext, ingen riktig integritetspolicy.</p>"
        )
        # Removing personal data from public records is gallring: only under a named decision.
        settings_.gallring_decision = "Dokumenthanteringsplan för kommunstyrelsen (exempel), punkt 4.2"
        settings_.require_gallring_decision = True
        settings_.privacy_notice_version = "1"
        settings_.contact = "dialog@exempelkommun.invalid, 0000-00 00 00"
        settings_.areas = "\n".join(AREAS)
        # Vara's four principles (quoted on the policy page) are what each dialog is assessed against.
        settings_.evaluation_principles.set([
            EvaluationPrinciple(title=principle["title"], explanation=principle["text"], sort_order=position)
            for position, principle in enumerate(PRINCIPLES["value"]["principles"])
        ])
        settings_.save()
        return settings_

    def create_evaluation(self, dialogs, site_settings):
        by_slug = {dialog.slug: dialog for dialog in dialogs}
        for slug, answers in SURVEY.items():
            for understood, accessible, feedback, again, improvement in answers:
                record_response(
                    by_slug[slug],
                    {"understood_influence": understood, "accessible": accessible, "got_feedback": feedback,
                     "take_part_again": again},
                    improvement=improvement,
                )
        principles = list(site_settings.evaluation_principles.all())
        for slug, verdicts in SELF_ASSESSMENT.items():
            record_self_assessment(by_slug[slug], dict(zip(principles, verdicts)), user=None)

    def create_moderator(self):
        User = get_user_model()
        user, _ = User.objects.get_or_create(
            username=MODERATOR_USERNAME, defaults={"email": "moderator@exempelkommun.invalid"}
        )
        user.is_active = True
        user.set_password(ADMIN_PASSWORD)
        user.save()
        group = Group.objects.get(name=MODERATORS_GROUP)
        user.groups.add(group)
        # The demo moderator may also see names and emails; a real site grants this on purpose.
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label="wagtail_dialog", codename="view_personal_data")
        )
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = "sv"
        profile.save()
        return user

    def create_admin(self):
        User = get_user_model()
        user, _ = User.objects.get_or_create(
            username=ADMIN_USERNAME, defaults={"email": "admin@exempelkommun.invalid"}
        )
        user.is_active = user.is_staff = user.is_superuser = True
        user.set_password(ADMIN_PASSWORD)
        user.save()
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = "sv"
        profile.save()
        return user

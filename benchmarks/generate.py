"""A seeded synthetic national corpus, written as claim-sheet JSON Lines.

Shaped like the real one: every force in the built-in gazetteer, ~200 bodies (the
gazetteer's plus generated sheet-local ones), ~5,000 sheet-local people (each a member of
a force or body), ~500 trials, stories reported by several sources (the same statement,
identical fields and evidence, in each), every status and statement kind including
metrics, dates over ten years (2015-2024), and Zipf-like skew: a few forces, bodies and
speakers account for most claims (the Metropolitan Police most of all).

Statuses follow a seeded true timeline per (force, deployment) key (`Truth`): a force
considers, plans, trials and deploys a technology (some stop, pause or never go beyond a
trial), or never uses it at all. A status claim reports the truth at its stated date with
probability `TRUTHFUL`; otherwise it is a plausible disagreement: an outdated status, a
premature announcement, a denial, an FOI "not held" / "neither confirm nor deny", or a
plain error. A trial is talked about from its announcement on, mostly while it runs or
soon after; a broader technology (facial recognition) is as far along as the furthest of
its narrower ones (live facial recognition, ...).

``--statements N`` is the number of *distinct* Statement nodes the corpus yields; the
number of sheets (sources) and REPORTED_IN edges is larger (about 2.2 sources per story).
Output is deterministic for a seed. Files are split at ~16 MB because a claim-sheet
file is limited to 20 MB (`loaders.claimsheet.MAX_BYTES`).

    python benchmarks/generate.py --statements 100000 --out /tmp/corpus-100k
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import random
import sys
from bisect import bisect
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

FORMAT = "statusgraph/claims@1"
FILE_BYTES = 16 * 1024 * 1024
START = dt.date(2015, 1, 1)
DAYS = 3652  # ten years

# -- the truth behind the claims ------------------------------------------------------
TRUTHFUL = 0.85  # a status claim reports the key's true status at its stated date
# how a (force, technology) story goes: never used / taken up for good / trialled and
# dropped / deployed and later stopped; a force that runs named trials of it did use it
PATTERNS = {"never": 30, "adopted": 35, "trial_only": 20, "stopped": 15}
TRIAL_PATTERNS = {"adopted": 40, "trial_only": 45, "stopped": 15}
# how far along a status is, to combine a technology's timeline with its narrower ones'
RANK = {"no_plans": 0, "not_using": 0, "declined": 1, "denied": 1, "ended": 2, "paused": 3,
        "proposed": 4, "approached": 4, "considering": 5, "committed": 6, "planned": 6,
        "lab_trial": 7, "trialling": 8, "deployed": 9}
# what a claim that is not the truth says instead (see `Generator.status_for`)
DISAGREEMENTS = {"outdated": 35, "foi": 25, "denial": 15, "premature": 15, "error": 10}
ACTIVE = ("committed", "planned", "lab_trial", "trialling", "deployed")
ACTIVE_ERRORS = ("not_using", "no_plans")
OTHER_ERRORS = ("trialling", "deployed", "planned")
KINDS = {"status": 70, "metric": 12, "position": 10, "action": 8}
SOURCE_KINDS = {"news_article": 50, "foi_response": 18, "press_release": 10, "report": 7,
                "parliamentary": 6, "court": 1, "statement": 5, "dataset": 2, "other": 1}
METRICS = ["faces_scanned", "alerts", "true_alerts", "false_alerts", "arrests",
           "watchlist_size", "deployments", "cost", "images_searched", "matches"]
BODY_KINDS = ["government", "regulator", "commissioner", "parliament", "ngo", "company",
              "media", "court", "police_body", "academic", "other"]
FIRST = ["Alex", "Sam", "Jo", "Chris", "Pat", "Jamie", "Robin", "Kim", "Lee", "Morgan", "Ashley",
         "Taylor", "Jordan", "Casey", "Riley", "Avery", "Quinn", "Rowan", "Sasha", "Drew",
         "Harper", "Emerson", "Finley", "Hayden", "Jesse", "Kendall", "Logan", "Marley",
         "Parker", "Reese", "Sage", "Skyler", "Tatum", "Blair", "Cameron", "Dana", "Eden",
         "Frankie", "Gray", "Hollis", "Indy", "Jules", "Kai", "Lane", "Micah", "Noel",
         "Oakley", "Peyton", "Remy", "Shay", "Toby", "Val", "Wren", "Yael", "Zion", "Ari",
         "Bryn", "Cody", "Dale", "Ellis"]
LAST = ["Abbott", "Baker", "Carter", "Dawson", "Ellison", "Fletcher", "Garner", "Hughes",
        "Irving", "Jennings", "Keller", "Lawson", "Mercer", "Nolan", "Osborne", "Porter",
        "Quigley", "Rowe", "Sutton", "Thorne", "Underwood", "Vaughan", "Walsh", "Yates",
        "Ashworth", "Bramley", "Crossley", "Denby", "Eastwood", "Farrow", "Gillespie",
        "Hartley", "Ingham", "Jowett", "Kershaw", "Lumb", "Midgley", "Naylor", "Oldroyd",
        "Pickles", "Ramsden", "Shackleton", "Tetley", "Utley", "Verity", "Whiteley",
        "Armitage", "Booth", "Clegg", "Dyson", "Earnshaw", "Firth", "Greenwood", "Haigh",
        "Illingworth", "Jagger", "Kitson", "Lister", "Moorhouse", "Nutter", "Oates",
        "Priestley", "Rhodes", "Sykes", "Thackray", "Usher", "Varley", "Wade", "Brook",
        "Crowther", "Dobson", "Exley", "Fawcett", "Gaunt", "Holroyd", "Iredale", "Kaye",
        "Lockwood", "Mitchell", "Normanton", "Pollard", "Riley", "Smith", "Townend",
        "Walker", "Barraclough", "Cawthorne", "Drake", "Fairburn", "Goodall", "Hirst",
        "Jessop", "Kellett", "Lodge", "Mellor", "Nettleton", "Pearson", "Redfearn",
        "Senior", "Tordoff"]
ROLES = ["Chief Constable", "Deputy Chief Constable", "Assistant Chief Constable",
         "Superintendent", "spokesperson", "press officer", "minister", "director",
         "policy officer", "researcher", "commissioner", "chair", "legal officer",
         "data protection officer", "FOI officer"]
BODY_WORDS = ["Civil Liberties", "Privacy", "Digital Rights", "Biometrics", "Surveillance",
              "Data Ethics", "Justice", "Policing", "Public Safety", "Technology"]
BODY_FORMS = {"ngo": "{w} Network {n}", "company": "{w} Systems {n} Ltd",
              "academic": "Centre for {w} Studies {n}", "media": "{w} Gazette {n}",
              "police_body": "{w} Police Board {n}", "government": "Office for {w} {n}",
              "regulator": "{w} Authority {n}", "commissioner": "{w} Commissioner {n}",
              "parliament": "Committee on {w} {n}", "court": "{w} Tribunal {n}",
              "other": "{w} Forum {n}"}
PHRASES = {
    "status": "{sp} said that {ab} {verb} {dep}",
    "position": "{sp} argued that the use of {dep} by {ab} needs a clear legal basis",
    "action": "{sp} wrote to {ab} about {dep}",
    "metric": "{sp} reported {value} {metric} for {ab} in the period",
}
VERBS = {"proposed": "was proposed as a site for", "approached": "had been approached about",
         "considering": "was considering", "committed": "had committed to",
         "planned": "planned to use", "lab_trial": "was testing in a laboratory",
         "trialling": "was trialling", "deployed": "had deployed", "paused": "had paused",
         "ended": "had ended its use of", "not_using": "was not using",
         "no_plans": "had no plans to use", "declined": "had declined to use",
         "denied": "had never agreed to use", "ncnd": "would neither confirm nor deny using",
         "not_held": "held no information about"}
# the forces that dominate the real corpus, busiest first (ids of the built-in gazetteer)
BIG_FORCES = ("metropolitan-police-service", "south-wales-police", "west-midlands-police",
              "leicestershire-police", "essex-police", "kent-police")
TECH_WEIGHTS = {"live-facial-recognition": 30, "retrospective-facial-recognition": 18,
                "facial-recognition": 14, "operator-initiated-facial-recognition": 8,
                "anpr": 5, "body-worn-video": 4, "drones": 4, "mobile-phone-extraction": 3,
                "predictive-policing": 3, "cctv": 2, "fingerprint-identification": 2,
                "social-media-monitoring": 2, "imsi-catchers": 1, "emotion-recognition": 1,
                "gait-recognition": 1, "voice-recognition": 1, "dna-profiling": 1,
                "digital-forensics": 1, "biometrics": 1}


class Zipf:
    """Draw items with weight 1/rank**s (rank 1 most frequent)."""

    def __init__(self, items, s: float = 1.1):
        self.items = list(items)
        acc, self.cum = 0.0, []
        for r in range(1, len(self.items) + 1):
            acc += 1.0 / r ** s
            self.cum.append(acc)

    def draw(self, rng: random.Random):
        return self.items[bisect(self.cum, rng.random() * self.cum[-1])]


def weighted(rng: random.Random, table: dict):
    return rng.choices(list(table), weights=list(table.values()))[0]


class Truth:
    """The true status timeline of one (force, deployment) key: [(first day, status)].

    A force's technology follows `PATTERNS`; where the force runs named trials of it, the
    technology's timeline is built around them (interest before the first, "trialling"
    from the first trial to the end of the last, then the outcome) and each trial's own
    timeline agrees with it (planned, trialling in its window, then deployed or ended as
    the technology went). Seeded by the key, so it does not depend on the drawing order.
    """

    def __init__(self, phases: list[tuple[int, str]]):
        phases = sorted(phases, key=lambda x: x[0])
        self.days = [d for d, _ in phases]
        self.statuses = [st for _, st in phases]

    def index(self, day: int) -> int:
        return max(0, bisect(self.days, day) - 1)

    def at(self, day: int) -> str:
        return self.statuses[self.index(day)]

    @classmethod
    def technology(cls, rng: random.Random,
                   windows: list[tuple[int, int]] | None = None) -> Truth:
        """A force and a technology; ``windows``: the (start, end) days of its trials."""
        pattern = weighted(rng, TRIAL_PATTERNS if windows else PATTERNS)
        phases = [(-10 * DAYS, rng.choice(("no_plans", "not_using")))]
        first = windows[0][0] if windows else rng.randint(-200, int(DAYS * 0.9))
        day = first - rng.randint(120, 600)
        phases.append((day, rng.choice(("considering", "considering", "proposed",
                                        "approached"))))
        if pattern == "never":
            phases.append((first, rng.choice(("declined", "no_plans", "not_using"))))
            return cls(phases)
        phases.append((first - rng.randint(30, 110), rng.choice(("planned", "planned",
                                                                   "committed"))))
        if not windows and rng.random() < 0.3:
            phases.append((first - rng.randint(1, 29), "lab_trial"))
        last = max(e for _, e in windows) if windows else first + rng.randint(120, 600)
        phases.append((first, "trialling"))
        if pattern == "trial_only":
            phases.append((last, rng.choice(("ended", "ended", "paused"))))
            return cls(phases)
        phases.append((last, "deployed"))
        day = last + rng.randint(200, 1500)
        if pattern == "stopped":
            phases.append((day, rng.choice(("ended", "paused"))))
            if rng.random() < 0.3:
                phases.append((day + rng.randint(90, 500), "deployed"))  # resumed
        elif rng.random() < 0.15:
            phases.append((day, "paused"))
            phases.append((day + rng.randint(60, 300), "deployed"))
        return cls(phases)

    @classmethod
    def broadest(cls, truths: list[Truth]) -> Truth:
        """A broader technology (facial recognition over live facial recognition, ...):
        on each day the most advanced status of its own and its narrower ones' timelines."""
        days = sorted({d for t in truths for d in t.days})
        phases, last = [], None
        for d in days:
            st = max((t.at(d) for t in truths), key=RANK.__getitem__)
            if st != last:
                phases.append((d, st))
                last = st
        return cls(phases)

    @classmethod
    def trial(cls, rng: random.Random, announced: int, window: tuple[int, int],
              tech: Truth) -> Truth:
        """A named trial announced on day ``announced`` and run in ``window``, consistent
        with its technology's timeline."""
        start, end = window
        phases = [(-10 * DAYS, rng.choice(("no_plans", "not_using"))),
                  (announced, rng.choice(("planned", "planned", "committed"))),
                  (start, "trialling")]
        after = tech.index(end)
        went = tech.statuses[after]
        if went == "deployed":
            phases.append((end, "deployed"))
            # it stops when the technology does
            for d, st in zip(tech.days[after + 1:], tech.statuses[after + 1:], strict=True):
                if st in ("ended", "paused"):
                    phases.append((d, st))
                    break
        else:
            phases.append((end, "ended"))
        return cls(phases)


class World:
    """Entities, people and trials of the synthetic nation (the same for a seed)."""

    def __init__(self, seed: int, people: int = 5000, bodies: int = 200, trials: int = 500):
        from loaders.gazetteer import builtin

        rng = random.Random(f"world-{seed}")
        g = builtin()
        self.technologies = [t for t in TECH_WEIGHTS if t in g.technologies]
        self.narrower: dict[str, list[str]] = {}
        for t in self.technologies:
            for b in g.technologies[t].broader:
                self.narrower.setdefault(b, []).append(t)
        forces = sorted((e for e in g.entities.values() if e.type == "Force"), key=lambda e: e.id)
        gbodies = sorted((e for e in g.entities.values() if e.type == "Body"), key=lambda e: e.id)
        # skew: a few big forces (the Met, South Wales, ...) dominate; order is seeded
        by_id = {f.id: f for f in forces}
        big = [by_id[i] for i in BIG_FORCES]  # in this order: the Met is the busiest
        rest = [f for f in forces if f.id not in BIG_FORCES]
        rng.shuffle(rest)
        self.forces = big + rest
        self.force_z = Zipf(self.forces, 1.0)
        known = {e.name.casefold() for e in g.entities.values()}
        # entity dicts, as a sheet declares them (name, type, ...), keyed by name
        self.decl: dict[str, dict] = {}
        self.bodies: list[dict] = []  # {"name", "builtin": bool}
        for e in gbodies:
            self.bodies.append({"name": e.name, "builtin": True})
        n = 0
        while len(self.bodies) < bodies:
            kind = BODY_KINDS[n % len(BODY_KINDS)]
            name = BODY_FORMS[kind].format(w=BODY_WORDS[n % len(BODY_WORDS)], n=n // len(BODY_WORDS) + 1)
            n += 1
            if name.casefold() in known:
                continue
            self.decl[name] = {"name": name, "type": "Body", "kind": kind}
            self.bodies.append({"name": name, "builtin": False})
        gov = [b for b in self.bodies if b["name"] in ("Home Office",)]
        others = [b for b in self.bodies if b not in gov]
        rng.shuffle(others)
        self.body_z = Zipf(gov + others, 1.0)
        orgs = [f.name for f in self.forces] + [b["name"] for b in self.bodies]
        org_z = Zipf(orgs, 0.8)
        combos = [f"{a} {b}" for a, b in itertools.product(FIRST, LAST)]
        rng.shuffle(combos)
        self.people = []
        for name in combos:
            if len(self.people) >= people:
                break
            if name.casefold() in known:
                continue
            self.decl[name] = {"name": name, "type": "Person", "role": rng.choice(ROLES),
                               "member_of": org_z.draw(rng)}
            self.people.append(name)
        self.person_z = Zipf(self.people, 0.9)
        # trials: run by a force (skewed), one technology, sometimes funded by a body. A
        # force's trials of one technology fall within its trialling years (one to four),
        # which start anywhere in the decade
        drafts = []
        for k in range(trials):
            force = self.force_z.draw(rng)
            tech = weighted(rng, {t: TECH_WEIGHTS[t] for t in self.technologies})
            drafts.append((k, force, tech))
        groups: dict[tuple[str, str], list] = {}
        for d in drafts:
            groups.setdefault((d[1].name, d[2]), []).append(d)
        starts: dict[int, int] = {}
        for members in groups.values():
            span = rng.randint(365, 4 * 365)
            anchor = rng.randint(0, DAYS - span)
            for j, (k, _f, _t) in enumerate(members):
                starts[k] = anchor + j * span // len(members) + rng.randint(0, 60)
        self.trials: dict[str, dict] = {}
        self.trial_window: dict[str, tuple[int, int]] = {}  # (first, last day)
        self.trial_announced: dict[str, int] = {}  # the day it is first talked about
        self.trials_by_force: dict[str, list[str]] = {}  # by start
        for k, force, tech in drafts:
            start = starts[k]
            year = START.year + start // 365
            name = f"{force.name} {g.technologies[tech].name} trial {year}-{k + 1:03d}"
            t = {"name": name, "technology": tech, "run_by": force.name}
            self.trial_window[name] = (start, start + rng.randint(60, 400))
            self.trial_announced[name] = start - rng.randint(30, 200)
            if rng.random() < 0.3:
                t["funded_by"] = self.body_z.draw(rng)["name"]
            if rng.random() < 0.5:
                t["description"] = f"Synthetic deployment {k + 1} of {g.technologies[tech].name}"
            self.trials[name] = t
            self.trials_by_force.setdefault(force.name, []).append(name)
        self._announced: dict[str, list[int]] = {}
        for fname, names in self.trials_by_force.items():
            names.sort(key=lambda n: self.trial_announced[n])
            self._announced[fname] = [self.trial_announced[n] for n in names]
        self.by_name = {f.name: f for f in self.forces}

    def trial_on(self, rng: random.Random, force: str, day: int) -> str | None:
        """A trial of ``force`` talked about on ``day``: announced by then, and running or
        ended in the last two years if there is one (else any earlier one)."""
        names = self.trials_by_force.get(force)
        if not names:
            return None
        known = names[:bisect(self._announced[force], day)]
        if not known:
            return None
        recent = [n for n in known if self.trial_window[n][1] + 730 >= day]
        return rng.choice(recent or known)

    def speaker(self, rng: random.Random) -> tuple[str, str]:
        r = rng.random()
        if r < 0.40:
            return "Force", self.force_z.draw(rng).name
        if r < 0.75:
            return "Body", self.body_z.draw(rng)["name"]
        return "Person", self.person_z.draw(rng)


class Generator:
    def __init__(self, seed: int = 1, **world):
        self.seed = seed
        self.world = World(seed, **world)
        self.rng = random.Random(f"claims-{seed}")
        self.story = 0
        self._truth: dict[tuple[str, str], Truth] = {}

    def truth(self, subject: str, deployment: str) -> Truth:
        """The true timeline of a (force, technology id or trial name) key."""
        key = (subject, deployment)
        t = self._truth.get(key)
        if t is not None:
            return t
        w = self.world
        trial = w.trials.get(deployment)
        if trial is not None:
            tech = self.truth(subject, trial["technology"])
            rng = random.Random(f"truth-{self.seed}-{subject}-{deployment}")
            t = Truth.trial(rng, w.trial_announced[deployment], w.trial_window[deployment],
                            tech)
        else:
            windows = sorted(w.trial_window[n] for n in w.trials_by_force.get(subject, ())
                             if w.trials[n]["technology"] == deployment)
            rng = random.Random(f"truth-{self.seed}-{subject}-{deployment}")
            t = Truth.technology(rng, windows or None)
            narrower = w.narrower.get(deployment)
            if narrower:  # a force using live facial recognition uses facial recognition
                t = Truth.broadest([t, *(self.truth(subject, n) for n in narrower)])
        self._truth[key] = t
        return t

    def status_for(self, subject: str, deployment: str, day: int) -> str:
        """What a status claim made on ``day`` says: mostly the truth, else a disagreement."""
        rng, truth = self.rng, self.truth(subject, deployment)
        k = truth.index(day)
        now = truth.statuses[k]
        if now in ("no_plans", "not_using") and rng.random() < 0.3:
            now = "not_using" if now == "no_plans" else "no_plans"  # the same thing, worded
        if rng.random() < TRUTHFUL:
            return now
        how = weighted(rng, DISAGREEMENTS)
        if how == "outdated":  # repeats what was true a while ago
            old = truth.at(day - rng.randint(180, 1100))
            if old != truth.statuses[k]:
                return old
            how = "foi"
        if how == "premature" and k + 1 < len(truth.statuses):  # announces the next step
            return truth.statuses[k + 1]
        if how == "denial" and now in ACTIVE:  # "we never agreed to use it"
            return "denied"
        if how == "error":
            return rng.choice(ACTIVE_ERRORS if now in ACTIVE else OTHER_ERRORS)
        return rng.choice(("not_held", "not_held", "ncnd"))  # an FOI answer that says nothing

    # -- one story: a few claims, reported by one or more sources ------------------------
    def claims(self, m: int, day: int) -> list[dict]:
        rng, w = self.rng, self.world
        out = []
        for j in range(m):
            kind = weighted(rng, KINDS)
            stype, speaker = w.speaker(rng)
            force = w.force_z.draw(rng)
            if stype == "Force" and rng.random() < 0.35:
                force = w.by_name[speaker]  # a force speaking about itself
            about = [force.name]
            if rng.random() < 0.08:
                about.append(w.force_z.draw(rng).name)
            if rng.random() < 0.04:
                about.append(w.body_z.draw(rng)["name"])
            about = list(dict.fromkeys(about))
            trial = None
            st: dict = {"speaker": speaker}
            sday = min(DAYS - 1, max(0, day + rng.randint(-20, 0)))
            stated = START + dt.timedelta(days=sday)
            if rng.random() < 0.5:
                trial = w.trial_on(rng, force.name, sday)
                if trial and rng.random() < 0.15:
                    about.append(trial)
            tech = None if trial else weighted(rng, {t: TECH_WEIGHTS[t] for t in w.technologies})
            st["about"] = about
            st["kind"] = kind
            if kind == "status":
                st["status"] = self.status_for(force.name, trial or tech, sday)
            if trial:
                st["trial"] = trial
            elif tech:
                st["technology"] = tech
            p = rng.random()
            st["stated"] = (stated.isoformat() if p < 0.6 else stated.isoformat()[:7] if p < 0.9
                            else stated.isoformat()[:4] if p < 0.95 else None)
            st["quote"] = rng.random() < 0.3
            dep = trial or tech
            if kind == "metric":
                metric = rng.choice(METRICS)
                st["metric"] = metric
                st["value"] = rng.choice([0, 1, 2, 5, 8, 10, 25, 50, 100, 250, 1000, 8600,
                                          50000, 125000])
                if metric == "cost":
                    st["unit"] = "GBP"
                elif metric == "faces_scanned":
                    st["unit"] = "faces"
                y = stated.year
                st["period"] = [f"{y}-01-01", f"{y}-12-31"] if rng.random() < 0.7 else \
                    [f"{y}-{stated.month:02d}-01", None]
            verb = VERBS.get(st.get("status"), "")
            text = PHRASES[kind].format(sp=speaker, ab=" and ".join(about), verb=verb, dep=dep,
                                        value=st.get("value"), metric=st.get("metric"))
            # the story number keeps distinct claims distinct (a Statement id hashes evidence)
            st["evidence"] = f"{text} (ref {self.story}.{j})"
            if rng.random() < 0.5:
                st["confidence"] = round(rng.uniform(0.5, 1.0), 2)
            out.append(st)
            # a disputed metric: another speaker gives another value for the same period
            if kind == "metric" and rng.random() < 0.25 and len(out) < m:
                _, other = w.speaker(rng)
                if other != speaker:
                    dup = dict(st, speaker=other, value=st["value"] + rng.choice([1, 7, 100]),
                               confidence=None)
                    dup.pop("confidence")
                    dup["evidence"] = f"{other} put the figure at {dup['value']} (ref {self.story}.{j}b)"
                    out.append(dup)
        return out[:m]

    def sheet(self, claims: list[dict], day: int, r: int) -> dict:
        """The claim sheet of one source reporting ``claims`` (declares what it names)."""
        rng, w = self.rng, self.world
        kind = weighted(rng, SOURCE_KINDS)
        published = START + dt.timedelta(days=min(DAYS + 90, day + rng.randint(0, 60)))
        publisher = w.body_z.draw(rng)["name"] if kind != "foi_response" else claims[0]["about"][0]
        src = {"title": f"Story {self.story} source {r}: {claims[0]['evidence'][:60]}",
               "publisher": publisher, "published": published.isoformat(), "kind": kind}
        if rng.random() < 0.9:
            src["url"] = f"https://news{r % 7}.example.org/{published.year}/story-{self.story}-{r}"
        if rng.random() < 0.2:
            src["author"] = w.person_z.draw(rng)
        names = set()
        trials = {}
        for c in claims:
            names.add(c["speaker"])
            names.update(c["about"])
            if "trial" in c:
                trials[c["trial"]] = w.trials[c["trial"]]
        for t in trials.values():
            names.add(t["run_by"])
            if "funded_by" in t:
                names.add(t["funded_by"])
        entities = {}
        for n in sorted(names):
            d = w.decl.get(n)
            if d is None:
                continue
            entities[n] = d
            org = w.decl.get(d.get("member_of"))
            if org is not None:
                entities[org["name"]] = org
        statements = []
        for c in claims:
            c = dict(c)
            if rng.random() < 0.7:
                start = rng.randint(0, 4000)
                c["span"] = [start, start + len(c["evidence"])]
            statements.append(c)
        sheet = {"format": FORMAT, "source": src}
        if entities:
            sheet["entities"] = [entities[k] for k in sorted(entities)]
        if trials:
            sheet["trials"] = [trials[k] for k in sorted(trials)]
        sheet["statements"] = statements
        return sheet

    def sheets(self, statements: int):
        """Yield claim sheets until ``statements`` distinct statements have been made."""
        rng = self.rng
        made = 0
        while made < statements:
            p = rng.random()
            m = 1 if p < 0.3 else rng.randint(2, 4) if p < 0.8 else rng.randint(5, 20)
            m = min(m, statements - made)
            day = int(made * DAYS / statements) + rng.randint(0, 30)
            claims = self.claims(m, day)
            made += len(claims)
            q = rng.random()
            r_count = 1 if q < 0.45 else 2 if q < 0.7 else 3 if q < 0.85 else rng.randint(4, 8)
            for r in range(r_count):
                # the first source reports every claim; the others most of them
                subset = claims if r == 0 else [c for c in claims if rng.random() < 0.8] or claims[:1]
                yield self.sheet(subset, day, r)
            self.story += 1

    def new_source(self, k: int, statements: int = 5) -> dict:
        """A fresh source for the incremental-import figure: recent claims on the busiest keys."""
        saved, self.rng = self.rng, random.Random(f"new-{self.seed}-{k}")
        self.story = 10_000_000 + k
        try:
            claims = self.claims(statements, DAYS - 1)
            return self.sheet(claims, DAYS - 1, 0)
        finally:
            self.rng = saved


def write_corpus(out: Path, statements: int, seed: int = 1, file_bytes: int = FILE_BYTES) -> dict:
    """Write the corpus as ``out/corpus-NNNNN.jsonl``; returns counts."""
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("corpus-*.jsonl"):
        old.unlink()
    gen = Generator(seed)
    files, sheets, reports = 0, 0, 0
    f = None
    size = 0
    for sheet in gen.sheets(statements):
        line = json.dumps(sheet, ensure_ascii=False, separators=(",", ":")) + "\n"
        data = line.encode("utf-8")
        if f is None or size + len(data) > file_bytes:
            if f is not None:
                f.close()
            f = open(out / f"corpus-{files:05d}.jsonl", "wb")
            files += 1
            size = 0
        f.write(data)
        size += len(data)
        sheets += 1
        reports += len(sheet["statements"])
    if f is not None:
        f.close()
    return {"statements": statements, "sheets": sheets, "reports": reports, "files": files,
            "seed": seed}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--statements", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args(argv)
    print(json.dumps(write_corpus(a.out, a.statements, a.seed)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

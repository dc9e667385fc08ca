"""The thirteen datasets of the data contracts, by name."""

from __future__ import annotations

from strategistatus.i18n import N_, _

from . import (
    course_copies,
    courses,
    devices,
    enrolments,
    finances,
    messages,
    milestones,
    pupil_plans,
    pupils,
    results,
    schools,
    staff,
    trainings,
)
from .columns import Dataset

DATASETS: dict[str, Dataset] = {
    m.DATASET.name: m.DATASET
    for m in (schools, pupils, staff, devices, enrolments, courses, course_copies,
              pupil_plans, messages, trainings, finances, results, milestones)
}


# The datasets' titles as the docs name them; the Danish titles (Dataset.title) are their
# translations in the message catalogue (tests/test_messages.py holds them equal).
TITLES: dict[str, str] = {
    "schools": N_("Schools"),
    "pupils": N_("Pupils (roster)"),
    "staff": N_("Staff (roster)"),
    "devices": N_("Devices (issued)"),
    "enrolments": N_("Enrolments"),
    "courses": N_("Courses on the learning platform"),
    "course_copies": N_("Copies of courses"),
    "pupil_plans": N_("Pupil plans and teaching plans"),
    "messages": N_("Written communication per month"),
    "trainings": N_("Training and courses for staff"),
    "finances": N_("Finances: budget and spending"),
    "results": N_("Results (aggregated)"),
    "milestones": N_("Milestones"),
}


def dataset_title(name: str) -> str:
    """The dataset's title in the current language (its name when it has none)."""
    return _(TITLES[name]) if name in TITLES else name


def dataset(name: str) -> Dataset:
    """The dataset called ``name``; a clear error naming the known ones otherwise."""
    try:
        return DATASETS[name]
    except KeyError:
        known = ", ".join(DATASETS)
        raise KeyError(f"unknown dataset {name!r}; known datasets: {known}") from None

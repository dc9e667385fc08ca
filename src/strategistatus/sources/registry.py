"""The thirteen datasets of the data contracts, by name."""

from __future__ import annotations

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


def dataset(name: str) -> Dataset:
    """The dataset called ``name``; a clear error naming the known ones otherwise."""
    try:
        return DATASETS[name]
    except KeyError:
        known = ", ".join(DATASETS)
        raise KeyError(f"unknown dataset {name!r}; known datasets: {known}") from None

"""Assemble the rows of holdout 6 (issue 17) from the public listings it is drawn from.

    python scripts/build_holdout6.py sample SRC_DIR DRAFT.csv
    python scripts/build_holdout6.py merge DRAFT.csv LABELS.tsv OUT.csv

`sample` reads the listings saved under SRC_DIR (file names below; each is the file of the
public repository named in tests/engine/data/software_titles_holdout6_SOURCES.md, at the
commit given there), keeps a (name, publisher) pair once per origin, drops every name an
earlier labelled set holds (development, retired, holdouts 1 to 5: exact match on `name`),
and draws at most QUOTA[origin] rows per origin at random with a fixed seed, so that no
origin dominates. It writes `origin,name,publisher,version` in source order.

`merge` joins the hand-made labels (`vendor<TAB>product<TAB>category` a line, one line per
draft row, same order) to the draft and writes the labelled CSV. The labels are made by
hand; nothing here computes one.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from _holdout import Row, main

EARLIER = (
    "software_titles_labelled.csv",
    "software_titles_test.csv",
    "software_titles_holdout.csv",
    "software_titles_holdout2.csv",
    "software_titles_holdout3.csv",
    "software_titles_holdout4.csv",
    "software_titles_holdout5.csv",
)
SEED = 6
# At most this many rows per origin after exclusions (assumption: sized so that the set
# reaches its size with no origin above 30 %).
QUOTA = {
    "ubuntu1604-abinit": 230,
    "centos77-image": 200,
    "arch2017-macbook": 170,
    "amzn2-image": 200,
    "ubuntu1804-buildpack": 200,
    "es-winget": 250,
}


def _dpkg(path: Path) -> Iterator[Row]:
    """Installed (`ii`) rows of a `dpkg -l` listing, indented or not: name and version."""
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = re.split(r"\s+", line.strip(), maxsplit=4)
        if len(cells) >= 3 and cells[0] == "ii":
            yield cells[1], "", cells[2]


def _rpm_repo_info(path: Path) -> Iterator[Row]:
    """Rows of a docker-library repo-info page (`### `rpm` package: `NAME-VERSION-RELEASE.ARCH``):
    the package name, and version-release without the architecture."""
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"### `rpm` package: `(.+)-([^-]+-[^-]+)\.(x86_64|noarch|i686)`$", line)
        if match:
            yield match.group(1), "", match.group(2)


def _pacman_md(path: Path) -> Iterator[Row]:
    """Rows of the "All packages" list of a Markdown page (`* `DATE` **name** version`)."""
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"\s*\* `[^`]+` \*\*(\S+)\*\* (\S+)$", line)
        if match:
            yield match.group(1), "", match.group(2)


def _dpkg_repo_info(path: Path) -> Iterator[Row]:
    """Binary packages of a docker-library repo-info page (`- `name:arch=version``)."""
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"- `([^=`]+)=([^`]+)`$", line)
        if match:
            yield match.group(1), "", match.group(2)


def _tsv(path: Path) -> Iterator[Row]:
    """Rows of a `name<TAB>version` extract (no publisher column in the source)."""
    for line in path.read_text(encoding="utf-8").splitlines():
        name, version = line.split("\t")
        yield name, "", version


READERS: dict[str, tuple[str, Callable[[Path], Iterator[Row]]]] = {
    "ubuntu1604-abinit": ("abinit+abinit_old_forum.txt", _dpkg),
    "centos77-image": ("Beatzevo+repo-info-master.md", _rpm_repo_info),
    "arch2017-macbook": ("paigeruten+dotfiles.md", _pacman_md),
    "amzn2-image": ("Beatzevo+repo-info-master+amazonlinux2.md", _rpm_repo_info),
    "ubuntu1804-buildpack": ("Beatzevo+repo-info-master+bionic.md", _dpkg_repo_info),
    "es-winget": ("rodrigofd+.dotfilespub.tsv", _tsv),
}



if __name__ == "__main__":
    main(sys.argv[1:], __doc__, READERS, QUOTA, SEED, EARLIER)

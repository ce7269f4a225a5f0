#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Regenerates the configuration reference in README.md from
`telexd --help-config` (make docs).  tests/e2e/config.sh fails when they differ."""
import subprocess
import sys

telexd, readme = sys.argv[1], sys.argv[2]
ref = subprocess.run([telexd, "--help-config"], check=True, capture_output=True, text=True).stdout.strip()
text = open(readme).read()
begin, end = "<!-- config-reference:begin -->", "<!-- config-reference:end -->"
a, b = text.index(begin) + len(begin), text.index(end)
open(readme, "w").write(text[:a] + "\n" + ref + "\n" + text[b:])

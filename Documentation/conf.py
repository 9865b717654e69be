# SPDX-License-Identifier: GPL-2.0
# Sphinx configuration of memacct's documentation (make docs).
import re
from pathlib import Path

project = 'memacct'
author = 'The memacct developers'
copyright = '2026, ' + author
# The one place the version lives is module/memacct.h.
_h = (Path(__file__).parent.parent / 'module' / 'memacct.h').read_text()
version = release = re.search(r'#define MEMACCT_VERSION "([^"]+)"', _h).group(1)

master_doc = 'index'
exclude_patterns = ['_build', 'ABI']
html_theme = 'alabaster'
man_pages = [
    ('memacct.1', 'memacct', 'show where memory goes, from the memacct kernel module',
     [author], 1),
]

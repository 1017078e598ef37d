#!/usr/bin/env bash
# Rebuilds the bundled fonts in this folder from their published packages.
#
#   NotoSerifSC-Regular.ttf  body text (宋体 style)   npm @expo-google-fonts/noto-serif-sc, 400Regular
#   NotoSansSC-Bold.ttf      titles, headers (黑体)   npm @expo-google-fonts/noto-sans-sc, 700Bold
#   HanaMinB-ExtB.ttf.gz     fallback for CJK Ext-B (U+20000..U+2A6DF), a fontTools subset of
#                            HanaMinB.ttf from Debian's fonts-hanazono, gzip-compressed (gongkai
#                            inflates it the first time a document needs a character from it)
#
# The Noto builds are static TrueType-outline (glyf) fonts: printpdf subsets them about twice as
# fast as the CFF faces of Debian's fonts-noto-cjk .ttc (see FACTS.md).
#
# Needs: npm, apt-get + dpkg-deb (Debian), python3 with fontTools (pip install fonttools), gzip.
# Downloads go to ./dl (not committed); KEEP_DL=1 keeps them, DL=dir reuses a folder of them.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
cd "$HERE"
NOTO_VER="${NOTO_VER:-0.4.3}"
DL="${DL:-$HERE/dl}"
mkdir -p "$DL"

# 1. npm tarballs (npm pack downloads the package tarball; nothing is installed)
for fam in noto-serif-sc noto-sans-sc; do
  tgz="$DL/expo-google-fonts-${fam}-${NOTO_VER}.tgz"
  [ -f "$tgz" ] || (cd "$DL" && npm pack "@expo-google-fonts/${fam}@${NOTO_VER}" >/dev/null)
  rm -rf "$DL/$fam" && mkdir -p "$DL/$fam"
  tar xzf "$tgz" -C "$DL/$fam" package/400Regular package/700Bold package/LICENSE_FONT
done
cp "$DL/noto-serif-sc/package/400Regular/NotoSerifSC_400Regular.ttf" NotoSerifSC-Regular.ttf
cp "$DL/noto-sans-sc/package/700Bold/NotoSansSC_700Bold.ttf" NotoSansSC-Bold.ttf

# 2. Debian package (apt-get download fetches the .deb only; nothing is installed)
deb=$(ls "$DL"/fonts-hanazono_*_all.deb 2>/dev/null | head -1 || true)
if [ -z "$deb" ]; then
  (cd "$DL" && apt-get download fonts-hanazono 2>/dev/null) || { apt-get update -qq && (cd "$DL" && apt-get download fonts-hanazono); }
  deb=$(ls "$DL"/fonts-hanazono_*_all.deb | head -1)
fi
rm -rf "$DL/hanazono" && mkdir -p "$DL/hanazono" && dpkg-deb -x "$deb" "$DL/hanazono"

# 3. Ext-B subset of HanaMinB, and the licence files
DL="$DL" python3 - <<'PY'
import os, re
from fontTools import subset
from fontTools.ttLib import TTFont
dl = os.environ["DL"]
opts = subset.Options()
opts.layout_features = []          # CJK ideographs need no GSUB/GPOS features
opts.name_IDs = ['*']; opts.name_languages = ['*']
opts.notdef_outline = True
f = TTFont(f'{dl}/hanazono/usr/share/fonts/truetype/hanazono/HanaMinB.ttf')
f.recalcTimestamp = False  # keep head.modified: same bytes on every run
s = subset.Subsetter(opts); s.populate(unicodes=range(0x20000, 0x2A6E0)); s.subset(f)
f.save('HanaMinB-ExtB.ttf')

def ofl_body(path):
    t = open(path, encoding='utf-8').read()
    return t[t.index('This Font Software is licensed'):]
for fam, fn, face in (('noto-serif-sc', 'NotoSerifSC', 'Regular'), ('noto-sans-sc', 'NotoSansSC', 'Bold')):
    cr = TTFont(f'{fn}-{face}.ttf', lazy=True)['name'].getDebugName(0)
    cr = re.sub(r'^\(c\)', 'Copyright (c)', cr)
    open(f'OFL-{fn}.txt', 'w', encoding='utf-8').write(
        f"{cr}\n(Copyright notice as in the font's name table, nameID 0; font: {fn}-{face}.ttf)\n\n"
        + ofl_body(f'{dl}/{fam}/package/LICENSE_FONT'))
t = open(f'{dl}/hanazono/usr/share/doc/fonts-hanazono/copyright', encoding='utf-8').read()
open('LICENSE-HanaMinB.txt', 'w', encoding='utf-8').write(
    "HanaMinB-ExtB.ttf(.gz) is a subset (U+20000..U+2A6DF, made with fontTools) of HanaMinB.ttf from the\n"
    "Debian package fonts-hanazono 20170904, which is licensed 'Hanazono-Font-License or\n"
    "Open-Font-License' (the recipient may choose). A subset is a modified version; under the OFL\n"
    "option 'HanaMinB' is a Reserved Font Name that a modified version may not use, so this file,\n"
    "which keeps the name, is redistributed under the Hanazono Font License option (\"Unlimited\n"
    "permission is granted to use, copy, and distribute it, with or without modification\").\n"
    "Copyright 2008, 2009, 2010, 2011 GlyphWiki Project. The Debian copyright file follows.\n\n" + t)
PY
# -n: no name or time stamp in the gzip header, so the file is the same on every run
gzip -9 -n -f HanaMinB-ExtB.ttf
[ "${KEEP_DL:-0}" = 1 ] || [ "$DL" != "$HERE/dl" ] || rm -rf "$DL"
ls -l

/* SPDX-License-Identifier: Apache-2.0 */
// tlx_lang_cld2.cc -- extern "C" shim over CLD2's C++ API (see tlx_lang.h).
// Only this file includes CLD2 headers; no exceptions cross the boundary
// (CLD2 does not throw) and nothing is allocated here.
#include <cstdio> // the CLD2 header uses FILE without including it

#include <cld2/public/compact_lang_det.h>

#include "tlx_lang.h"

namespace CLD2
{
const char *LanguageCode(Language lang);
}

extern "C" const char *tlx_lang_cld2(const char *text, int len, bool *reliable)
{
    bool rel = false;
    CLD2::Language l = CLD2::DetectLanguage(text, len, true, &rel);
    *reliable = rel;
    if (l == CLD2::UNKNOWN_LANGUAGE || l == CLD2::TG_UNKNOWN_LANGUAGE) {
        *reliable = false;
        return nullptr;
    }
    const char *code = CLD2::LanguageCode(l);
    // "zh-Hant" -> "zh"; codes are otherwise 2-3 letters.
    if (code && code[0] == 'z' && code[1] == 'h')
        return "zh";
    return code;
}

//! A name reduced to what its spellings share, for finding entities that may be one: the
//! fingerprint that record-linkage tools block on.
//!
//! Two spellings of one name get one fingerprint when they differ in case, accents, script
//! (Cyrillic, Greek and Kazakh letters are transliterated), punctuation, the usual
//! transliteration choices (Sergei/Sergey/Sergej, Yevgeny/Evgenii, Kuznetsov/Kuznecov,
//! Akhmetov/Ahmetov, Müller/Mueller) or the spelling of a legal form (`Ltd`/`Limited`,
//! `GmbH`/`Gesellschaft mit beschränkter Haftung`). [`family_key`] also forgives word order
//! (`Volkov, Sergei`) and the German romanisation of Russian. Digits are kept as they are: `Lot 7` and `Lot 8` are different lots.
//!
//! The fingerprint is ASCII, so positions in it are bytes: the name's words, then, when the
//! name starts or ends with legal forms, `|` and those forms abbreviated
//! (`ТОО «Астана Инвест»` is `astana invest|to`, `Blue Harbour Trading Limited` is
//! `blue harbour trading|ltd`), so that a check for typing mistakes can leave them out: `LLC`
//! and `PLC` are two legal forms, not one typed twice.

use std::sync::OnceLock;

/// Separates a fingerprint's words from its legal forms.
pub const FORMS: char = '|';

/// Returns the fingerprint of `name`: lowercase ASCII words separated by one space, then
/// [`FORMS`] and the legal forms it starts or ends with, if any.
#[must_use]
pub fn fingerprint(name: &str) -> String {
    let mut words: Vec<String> = ascii_words(name)
        .iter()
        .map(|word| fold_word(word))
        .filter(|word| !word.is_empty())
        .collect();
    let forms = take_legal_forms(&mut words);
    let mut print = words.join(" ");
    if !forms.is_empty() {
        print.push(FORMS);
        print.push_str(&forms.join(" "));
    }
    print
}

/// Returns the legal forms of a fingerprint (empty when it has none).
#[must_use]
pub fn legal_forms(fingerprint: &str) -> &str {
    fingerprint.split_once(FORMS).map_or("", |(_, forms)| forms)
}

/// Returns `name` as lowercase ASCII words, transliterated but not folded and with its legal
/// forms as written: the form in which a typing mistake is one edit (`Yosef Coen` is one
/// letter from `Yosef Cohen`, though their fingerprints `iosef con` and `iosef cohen` are two).
#[must_use]
pub fn plain_words(name: &str) -> String {
    ascii_words(name).join(" ")
}

/// Returns `name` as lowercase words in its own script (`татьяна иванова`), split and
/// stripped of marks as [`plain_words`] does: the form in which a typing mistake in a
/// Cyrillic name is one edit (`я` typed for `е` is two letters apart in Latin, `ia`).
#[must_use]
pub fn script_words(name: &str) -> String {
    let mut text = String::with_capacity(name.len());
    let mut pending_space = false;
    for c in name.chars() {
        if c.is_alphanumeric() {
            if pending_space && !text.is_empty() {
                text.push(' ');
            }
            pending_space = false;
            text.extend(c.to_lowercase());
        } else if c.is_whitespace() || is_separator(c) {
            pending_space = true;
        }
    }
    text
}

/// Returns the key of a name's family: its fingerprint's words with the sibilants merged and
/// in sorted order, then its legal forms.
///
/// Sorting forgives word order (`Volkov Sergei`, `Sergei Volkov`). Merging `sh`, `j`, `z` and
/// `c` into `s` forgives the German romanisation of Russian, which writes `ж` as `sch`, `з` as
/// `s` and `ц` as `z` (`Schaksybekow`, `Kusnezow` for Zhaksybekov, Kuznetsov), at the price of
/// meeting names that differ only there (`Sara`, `Zara`).
#[must_use]
pub fn family_key(fingerprint: &str) -> String {
    let (words, forms) = fingerprint
        .split_once(FORMS)
        .map_or((fingerprint, None), |(words, forms)| (words, Some(forms)));
    let mut words: Vec<String> = words.split(' ').map(merge_sibilants).collect();
    words.sort_unstable();
    let mut key = words.join(" ");
    if let Some(forms) = forms {
        key.push(FORMS);
        key.push_str(forms);
    }
    key
}

fn merge_sibilants(word: &str) -> String {
    let mut merged: Vec<u8> = word
        .replace("sh", "s")
        .bytes()
        .map(|b| {
            if matches!(b, b'j' | b'z' | b'c') {
                b's'
            } else {
                b
            }
        })
        .collect();
    merged.dedup_by(|next, previous| next == previous && next.is_ascii_alphabetic());
    String::from_utf8(merged).expect("ASCII in, ASCII out")
}

/// Returns whether `a` and `b` are one insertion, deletion, substitution or swap of two
/// neighbouring symbols apart (and not equal): optimal string alignment distance 1, in one
/// pass.
#[must_use]
pub fn one_edit_apart<T: PartialEq>(a: &[T], b: &[T]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    match long.len() - short.len() {
        0 => {
            let first = short.iter().zip(long).position(|(x, y)| x != y);
            let Some(i) = first else { return false };
            if short[i + 1..] == long[i + 1..] {
                return true; // one substitution
            }
            // A swap of neighbours: ab -> ba, the rest equal.
            i + 1 < short.len()
                && short[i] == long[i + 1]
                && short[i + 1] == long[i]
                && short[i + 2..] == long[i + 2..]
        }
        1 => {
            let i = short
                .iter()
                .zip(long)
                .position(|(x, y)| x != y)
                .unwrap_or(short.len());
            short[i..] == long[i + 1..]
        }
        _ => false,
    }
}

/// Splits `name` into lowercase ASCII words: letters and digits of any script transliterated,
/// whitespace and separating punctuation (`,` `-` `&` quotes, brackets) ending a word, other
/// marks (`.` `'` `/`) dropped, so `S.A.` is `sa`, `A/S` is `as`, `O'Brien` is `obrien` and
/// `Al-Sayed` is `al sayed`.
fn ascii_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let end_word = |word: &mut String, words: &mut Vec<String>| {
        if !word.is_empty() {
            words.push(std::mem::take(word));
        }
    };
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            word.push(c.to_ascii_lowercase());
        } else if c.is_alphanumeric() {
            let latin = kazakh_letter(c)
                .map(|c| c.to_string())
                .or_else(|| deunicode::deunicode_char(c).map(str::to_owned))
                .unwrap_or_default();
            for d in latin.chars() {
                if d.is_ascii_alphanumeric() {
                    word.push(d.to_ascii_lowercase());
                } else if d == ' ' {
                    // CJK syllables come one per character, each a word.
                    end_word(&mut word, &mut words);
                }
            }
        } else if c.is_whitespace() || is_separator(c) {
            end_word(&mut word, &mut words);
        }
    }
    end_word(&mut word, &mut words);
    words
}

fn is_separator(c: char) -> bool {
    matches!(
        c,
        ',' | ';' | ':' | '-' | '\\' | '|' | '&' | '+' | '(' | ')' | '[' | ']' | '{' | '}' | '"'
    ) || matches!(
        c,
        '«' | '»' | '“' | '”' | '„' | '‹' | '›' | '–' | '—' | '·' | '•'
    )
}

/// Kazakh letters as the Kazakh Latin alphabet writes them (deunicode gives `@` for `ә`).
fn kazakh_letter(c: char) -> Option<char> {
    Some(match c {
        'ә' | 'Ә' => 'a',
        'ғ' | 'Ғ' => 'g',
        'қ' | 'Қ' => 'k',
        'ң' | 'Ң' => 'n',
        'ө' | 'Ө' => 'o',
        'ұ' | 'Ұ' | 'ү' | 'Ү' => 'u',
        'һ' | 'Һ' => 'h',
        'і' | 'І' => 'i',
        _ => return None,
    })
}

/// Folds the transliteration choices of one lowercase ASCII word into one spelling.
///
/// The rules merge what the common romanisations of Russian, Kazakh and German names write
/// differently (newspapers, passports, German and scholarly systems), in this order:
/// `tsch`→`ch`, `sch`/`shch`/`shh`→`sh`, `zh`/`dzh`→`j` (Zhomart, Jomart), `kh`/`ch`→`h`,
/// `ts`/`tz`→`c`, `ks`→`x`, `ph`→`f`, `w`→`v`, `y`→`i`, `j`→`i` but at the start (Sergej,
/// Sergey; `je` there is `e`: Jelena, Yelena), `ue`/`oe`→`u`/`o` (not `ae`: Nazarbaev), `ie`→`e`
/// at the start or after a vowel, then doubled letters as one. Both spellings go through the
/// same rules, so a rule that also changes an unrelated name (`Michael` → `mihael`) costs
/// nothing unless two different names fold together; an initial `j` and `y` stay apart so
/// that Jing and Ying, Jang and Yang do.
fn fold_word(word: &str) -> String {
    let b = word.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let mut i = 0;
    let at = |i: usize, s: &[u8]| b[i..].starts_with(s);
    while i < b.len() {
        let (emit, skip): (&[u8], usize) = if at(i, b"tsch") {
            (b"h", 4)
        } else if at(i, b"shch") {
            (b"sh", 4)
        } else if at(i, b"sch") || at(i, b"shh") {
            (b"sh", 3)
        } else if at(i, b"dzh") {
            (b"j", 3)
        } else if at(i, b"zh") {
            (b"j", 2)
        } else if at(i, b"kh") || at(i, b"ch") {
            (b"h", 2)
        } else if at(i, b"ts") || at(i, b"tz") {
            (b"c", 2)
        } else if at(i, b"ks") {
            (b"x", 2)
        } else if at(i, b"ph") {
            (b"f", 2)
        } else if i == 0 && at(i, b"je") {
            (b"e", 2)
        } else if i > 0 && (at(i, b"ue") || at(i, b"oe")) {
            (&b[i..=i], 2)
        } else {
            match b[i] {
                b'w' => (b"v", 1),
                b'y' => (b"i", 1),
                b'j' if i > 0 => (b"i", 1),
                _ => (&b[i..=i], 1),
            }
        };
        out.extend_from_slice(emit);
        i += skip;
    }
    // A `y` the press writes before `e` at the start or after a vowel (Yerlan, Nazarbayev)
    // where others write nothing (Erlan, Nazarbaev): `ie` there is `e`.
    let mut k = 0;
    while k + 1 < out.len() {
        let after_vowel = k == 0 || matches!(out[k - 1], b'a' | b'e' | b'i' | b'o' | b'u');
        if out[k] == b'i' && out[k + 1] == b'e' && after_vowel && out.len() > 2 {
            out.remove(k);
        } else {
            k += 1;
        }
    }
    // Doubled letters as one (digits stay: 11 is not 1).
    out.dedup_by(|next, previous| next == previous && next.is_ascii_alphabetic());
    String::from_utf8(out).expect("ASCII in, ASCII out")
}

/// Legal forms as registries write them in full, each with the abbreviation it is folded to.
const LEGAL_FORMS: &[(&str, &str)] = &[
    ("limited liability company", "llc"),
    ("limited liability partnership", "llp"),
    ("limited partnership", "lp"),
    ("public limited company", "plc"),
    ("private limited company", "ltd"),
    ("proprietary limited", "pty ltd"),
    ("limited", "ltd"),
    ("incorporated", "inc"),
    ("corporation", "corp"),
    ("company", "co"),
    ("joint stock company", "jsc"),
    ("public joint stock company", "pjsc"),
    ("gesellschaft mit beschränkter haftung", "gmbh"),
    ("aktiengesellschaft", "ag"),
    ("kommanditgesellschaft", "kg"),
    ("société anonyme", "sa"),
    ("sociedad anónima", "sa"),
    ("société à responsabilité limitée", "sarl"),
    ("sociedad de responsabilidad limitada", "srl"),
    ("società per azioni", "spa"),
    ("società a responsabilità limitata", "srl"),
    ("besloten vennootschap", "bv"),
    ("naamloze vennootschap", "nv"),
    ("spółka z ograniczoną odpowiedzialnością", "sp z oo"),
    ("aktieselskab", "as"),
    ("aktiebolag", "ab"),
    ("osakeyhtiö", "oy"),
    // The abbreviations' own spellings, once their dots are gone.
    ("sa rl", "sarl"),
    ("s a r l", "sarl"),
    ("a s", "as"),
    ("s a", "sa"),
    ("товарищество с ограниченной ответственностью", "тоо"),
    ("акционерное общество", "ао"),
    ("общество с ограниченной ответственностью", "ооо"),
    ("закрытое акционерное общество", "зао"),
    ("открытое акционерное общество", "оао"),
    ("публичное акционерное общество", "пао"),
    ("частное акционерное общество", "чао"),
    ("жауапкершілігі шектеулі серіктестік", "жшс"),
    ("акционерлік қоғам", "ақ"),
    ("товариство з обмеженою відповідальністю", "тов"),
    ("индивидуальный предприниматель", "ип"),
];

/// The legal forms above, as word lists after [`fold_word`], each with its abbreviation (and
/// each abbreviation with itself), longest first.
fn folded_legal_forms() -> &'static [(Vec<String>, Vec<String>)] {
    static FORMS: OnceLock<Vec<(Vec<String>, Vec<String>)>> = OnceLock::new();
    FORMS.get_or_init(|| {
        let fold = |text: &str| -> Vec<String> {
            ascii_words(text)
                .iter()
                .map(|w| fold_word(w))
                .filter(|w| !w.is_empty())
                .collect()
        };
        let mut forms: Vec<(Vec<String>, Vec<String>)> = LEGAL_FORMS
            .iter()
            .flat_map(|(long, short)| [(fold(long), fold(short)), (fold(short), fold(short))])
            .collect();
        // A one-letter word is an initial, not a legal form (`ООО` folds to `o`).
        forms.retain(|(long, _)| long.len() > 1 || long[0].len() > 1);
        forms.sort_by_key(|(long, _)| std::cmp::Reverse(long.len()));
        forms.dedup();
        forms
    })
}

/// Removes the legal forms `words` ends with, then those it starts with (`GmbH & Co. KG`,
/// `ТОО «…»`), and returns them abbreviated, in their order in the name. A name that is
/// nothing but a legal form keeps it as its words.
fn take_legal_forms(words: &mut Vec<String>) -> Vec<String> {
    let forms = folded_legal_forms();
    let mut trailing: Vec<Vec<String>> = Vec::new();
    while let Some((long, short)) = forms
        .iter()
        .find(|(long, _)| long.len() < words.len() && words.ends_with(long))
    {
        words.truncate(words.len() - long.len());
        trailing.push(short.clone());
    }
    let mut leading: Vec<String> = Vec::new();
    while let Some((long, short)) = forms
        .iter()
        .find(|(long, _)| long.len() < words.len() && words.starts_with(long))
    {
        words.drain(..long.len());
        leading.extend(short.iter().cloned());
    }
    leading.extend(trailing.into_iter().rev().flatten());
    leading
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn same(a: &str, b: &str) {
        assert_eq!(fingerprint(a), fingerprint(b), "{a} / {b}");
    }

    #[track_caller]
    fn different(a: &str, b: &str) {
        assert_ne!(fingerprint(a), fingerprint(b), "{a} / {b}");
    }

    #[test]
    fn spellings_of_one_name_share_a_fingerprint() {
        same("Sergei Volkov", "Sergey  Volkov");
        same("Sergei Volkov", "SERGEJ WOLKOW");
        same("Сергей Волков", "Sergei Volkov");
        same("Николай Кузнецов", "Nikolaj Kuznecov");
        same("Timur Baymukhanov", "Timur Bajmuchanow");
        same("Евгений Морозов", "Yevgeniy Morozov");
        same("Юрий Щербаков", "Yury Shcherbakov");
        same("Ерлан Ахметов", "Yerlan Akhmetov");
        same("Ерлан Ахметов", "Erlan Ahmetov");
        same("Нұрсұлтан Назарбаев", "Nursultan Nazarbayev");
        same("Касым-Жомарт Токаев", "Kassym-Jomart Tokayev");
        same("Елена Жукова", "Jelena Zhukova");
        same("Yelena Zhukova", "Elena Zhukova");
        same("Müller, Anna", "Mueller Anna");
        same("Łukasz Wiśniewski", "Lukasz Wisniewski");
        same("Phillip", "Filip");
        same("Al-Sayed", "Al Sayed");
        same("Jean-Pierre Dupont", "Jean Pierre Dupont");
        same("Blue Harbour Trading Ltd", "BLUE HARBOUR TRADING LIMITED");
        same(
            "Hamdan Trading S.à r.l.",
            "Hamdan Trading Société à responsabilité limitée",
        );
        same(
            "Al-Sayed Minerals GmbH",
            "Al-Sayed Minerals Gesellschaft mit beschränkter Haftung",
        );
        same(
            "Moscow Minerals Sp. z o.o.",
            "Moscow Minerals Spółka z ograniczoną odpowiedzialnością",
        );
        same("ТОО «Астана Инвест»", "TOO Astana Invest");
        same(
            "Müller Bau GmbH & Co. KG",
            "Mueller Bau Gesellschaft mit beschränkter Haftung & Co KG",
        );
    }

    #[test]
    fn legal_forms_follow_the_words() {
        assert_eq!(
            fingerprint("Blue Harbour Trading Limited"),
            "blu harbour trading|ltd"
        );
        assert_eq!(fingerprint("ТОО «Астана Инвест»"), "astana invest|to");
        assert_eq!(
            fingerprint("Müller Bau GmbH & Co. KG"),
            "muler bau|gmbh co kg"
        );
        assert_eq!(fingerprint("Back to Basics Ltd"), "back to basics|ltd");
        assert_eq!(fingerprint("Limited"), "limited");
        assert_eq!(family_key("volkov sergei|ltd"), "sergei volkov|ltd");
        assert_eq!(fingerprint("Phoenix Metals o."), "fonix metals o");
        assert_eq!(fingerprint("ООО «Восток»"), "o vostok");
    }

    #[test]
    fn different_names_and_numbers_stay_apart() {
        different("Mark Hale", "Mark Hall");
        different("Lot 7", "Lot 8");
        different("Person 1233", "Person 1234");
        different("Flat 11", "Flat 1");
        different("Anna Ivanova", "Ivan Ivanov");
        different("Wei Zhang", "Wei Yang");
        different("Jing Chen", "Ying Chen");
    }

    #[test]
    fn word_order_and_german_romanisation_are_forgiven_by_family_keys() {
        let sorted = |name: &str| family_key(&fingerprint(name));
        assert_eq!(
            sorted("Nursultan Schaksybekow"),
            sorted("Nursultan Zhaksybekov")
        );
        assert_eq!(sorted("Sergej Kusnezow"), sorted("Сергей Кузнецов"));
        assert_eq!(
            sorted("Schuldys Kudajbergenowa"),
            sorted("Zhuldyz Kudaybergenova")
        );
        assert_eq!(sorted("Volkov, Sergei"), sorted("Sergei Volkov"));
        assert_eq!(sorted("SMITH, William W."), sorted("William W. Smith"));
        assert_ne!(fingerprint("Volkov Sergei"), fingerprint("Sergei Volkov"));
    }

    #[test]
    fn script_words_keep_the_script() {
        assert_eq!(
            script_words("Татьяна  Иванова-Петрова"),
            "татьяна иванова петрова"
        );
        assert_eq!(script_words("O'Brien, Seán"), "obrien seán");
    }

    #[test]
    fn one_edit_apart_counts_each_kind_of_typo_once() {
        let apart = |a: &str, b: &str| one_edit_apart(a.as_bytes(), b.as_bytes());
        assert!(apart("bergstrom", "bergstrem"));
        assert!(apart("bergstrom", "bergstrm"));
        assert!(apart("bergstrom", "bergsstrom"));
        assert!(apart("bergstrom", "bregstrom"));
        assert!(apart("bergstrom", "bergstorm"));
        assert!(!apart("bergstrom", "bergstrom"));
        assert!(!apart("bergstrom", "burgstrem"));
        assert!(!apart("bergstrom", "bergstromes"));
        assert!(!apart("abcd", "badc"));
        assert!(apart("", "a"));
    }
}

#!/usr/bin/env python3
"""Realistic-name benchmark data in the `ties` CSV format: what a leak or a registry extract
looks like, where `../shared/bench/gen.py` writes `Person 123`.

Writes
    OUT/data/entities/<kind>.csv    people, companies, organizations, countries, addresses, contracts
    OUT/data/relations/<type>.csv   from,type,to,start,end,source,note (dated, sourced)
    OUT/data/ties.toml              the schema: which relation types are events
    OUT/pairs.csv                   1000 query pairs (from,to)
    OUT/twins.csv                   the planted near-duplicates: a,b,category
    OUT/manifest.json               sizes, seed, counts

Usage
    python3 benches/realistic.py --size leak --out /tmp/names-leak     # 20k / 100k
    python3 benches/realistic.py --size large --out /tmp/names-large   # 1M / 5M
    python3 benches/realistic.py --entities 5000 --relations 20000 --out /tmp/x

Names: first and last names of eleven languages, drawn Zipf-like so that surnames are shared
(many Ivanovs, Smiths, Cohens), Russian and Kazakh names in Cyrillic or in one of several
Latin transliterations, accents (Müller, Łukasz, François), companies with legal forms
(`Blue Harbour Trading Ltd`, `ТОО «Астана Инвест»`), and numbered things that are different
things (`Contract No. 1234`, `14 Abay Avenue, Almaty`). About 2% of the entities are planted
twins of another entity, written as a second entity with its own id and relations:
    translit  the same Cyrillic name transliterated another way (Sergei/Sergey, or Cyrillic/Latin)
    accent    accents dropped (Müller -> Muller)
    case      upper or lower case (SERGEI VOLKOV)
    typo      one letter inserted, deleted, replaced or swapped, in names of 8 letters or more
    order     surname first (Volkov Sergei, VOLKOV, Sergei)
    legal     the legal form spelt out or abbreviated (Ltd -> Limited)
twins.csv lists them, so recall can be measured. Entities are grouped in communities (about
85% of relations stay inside one), as real networks are, and degrees are heavy-tailed.

Only the standard library: the same seed gives the same files.
"""
import argparse
import bisect
import json
import os
import random
import time

SIZES = {
    "tiny": (1_000, 5_000),
    "leak": (20_000, 100_000),
    "medium": (100_000, 500_000),
    "large": (1_000_000, 5_000_000),
}

# --- names ------------------------------------------------------------------------------------

ENGLISH = (
    "James John Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel "
    "Matthew Anthony Mark Paul Steven Andrew Kenneth Joshua Mary Patricia Jennifer Linda "
    "Elizabeth Barbara Susan Jessica Sarah Karen Emily Oliver Harry George Amelia Olivia Isla "
    "Jack Noah Charlotte Margaret Catherine Eleanor Victoria Rebecca",
    "Smith Johnson Williams Brown Jones Miller Davis Wilson Taylor Anderson Thomas Moore Martin "
    "Jackson Thompson White Harris Clark Lewis Walker Hall Young King Wright Hughes Evans Roberts "
    "Green Baker Hale Campbell Mitchell Carter Phillips Turner Parker Collins Edwards Stewart "
    "Morris Murphy Cook Rogers Morgan Cooper Peterson Bailey Reed Kelly Howard Fletcher "
    "Whitaker Pemberton Ashworth Blackwood Kingsley Harrington",
)
GERMAN = (
    "Jürgen Günter Klaus Wolfgang Hans Stefan Andreas Markus Jörg Uwe Sabine Petra Monika "
    "Ursula Brigitte Katrin Dieter Björn Käthe Matthias Sebastian Friedrich",
    "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch "
    "Bauer Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Krüger Hartmann Lange Köhler "
    "Groß Weiß Böhm Jäger Günther Fröhlich Dünnwald Löwenstein",
)
FRENCH = (
    "François Jérôme Hélène Chloé Léa Zoé Benoît Cédric Amélie Élodie Jean Pierre Marie Sophie "
    "Camille Étienne Loïc Gaëlle Noémie Maël Frédéric Thérèse",
    "Lefèvre Dubois Durand Bernard Moreau Laurent Simon Michel Lefebvre Leroy Roux Bertrand "
    "Morel Fournier Girard Bonnet Dupont Lambert Fontaine Rousseau Vincent Mercier Chevalier "
    "Gauthier Bénard Mégret Pélissier Desrosiers",
)
SPANISH = (
    "José María Jesús Ángel Andrés Raúl Sofía Lucía João Gonçalo Inês Conceição Álvaro Martín "
    "Íñigo Begoña Rocío Joaquín",
    "García Fernández González Rodríguez López Martínez Sánchez Pérez Gómez Jiménez Ruiz "
    "Hernández Díaz Álvarez Muñoz Romero Gonçalves Silva Santos Araújo Castillo Ortega "
    "Domínguez Vázquez Navarro Iglesias",
)
POLISH = (
    "Łukasz Paweł Wojciech Małgorzata Agnieszka Michał Krzysztof Grzegorz Jiří Tomáš Petr Lucie "
    "Zdeněk Bożena Jarosław Katarzyna",
    "Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański "
    "Woźniak Dąbrowski Novák Dvořák Svoboda Černý Procházka Kučera Jankowski Mazur Krawczyk",
)
TURKISH = (
    "Mehmet Mustafa Ahmet Ali Hüseyin Hasan İbrahim Emine Ayşe Fatma Zeynep Elif Özlem Gökhan "
    "Çağla Uğur Şükrü",
    "Yılmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir Arslan Doğan Kılıç "
    "Aslan Çetin Kocabaş Güneş Erdoğan",
)
ARABIC = (
    "Mohammed Ahmed Omar Hassan Khalid Youssef Fatima Aisha Layla Mariam Ibrahim Tariq Rashid "
    "Samira Nadia Karim",
    "Al-Sayed Haddad Khoury Nasser Saleh Mansour Hamdan Aziz Rahman El-Amin Qasim Farouk "
    "Al-Masri Bakr Suleiman Abdallah",
)
HEBREW = (
    "David Moshe Yosef Avraham Yitzhak Yaakov Shimon Benjamin Ariel Noam Eitan Itai Tamar Noa "
    "Shira Yael Michal Rivka Sara Leah Avigail Yehuda",
    "Cohen Levi Mizrahi Peretz Biton Dahan Avraham Friedman Katz Azoulay Shapiro Ben-David "
    "Goldberg Rosenberg Weiss Greenberg Shalom Peres Ben-Ami Rosenthal Abramovich Hadad",
)
CHINESE = (
    "Wei Fang Li Jing Min Jun Lei Yan Ying Hao Xiaoming Zhiwei Jianguo Xiuying Guiying",
    "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Gao Luo",
)
# Russian and Kazakh names are kept in Cyrillic and transliterated when written in Latin.
RUSSIAN = (
    "Сергей Александр Дмитрий Андрей Алексей Михаил Иван Николай Владимир Евгений Павел Олег "
    "Юрий Игорь Виктор Григорий Вячеслав Максим Наталья Ольга Елена Татьяна Ирина Светлана Анна "
    "Мария Екатерина Юлия Ксения Людмила",
    "Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Федоров Морозов "
    "Волков Алексеев Лебедев Семенов Егоров Павлов Козлов Степанов Николаев Орлов Андреев "
    "Макаров Захаров Чернышев Хрущев Щербаков Жуков Яковлев Зайцев Белоусов Ефимов",
)
KAZAKH = (
    "Нұрсұлтан Қасым Асқар Ерлан Данияр Арман Нұрлан Серік Айгерім Динара Гүлнара Әлия Сәуле "
    "Мадина Жанна Бауыржан Марат Тимур Қайрат Ержан Ғалым Жұлдыз",
    "Назарбаев Тоқаев Ахметов Әбенов Сүлейменов Жақсыбеков Оспанов Қасымов Ысқақов Нұрпейісов "
    "Сәрсенбаев Төлегенов Баймұханов Кәрімов Мамыров Жұмабаев Омаров Құдайбергенов Есенов "
    "Бекмұхамедов Тәжібаев Шәріпов",
)

# Transliteration schemes: what one Cyrillic letter becomes in each. Passports, newspapers and
# registries disagree, which is where real transliteration twins come from.
_COMMON = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    "ә": "a", "ғ": "g", "қ": "k", "ң": "ng", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
}
SCHEMES = {
    # what English-language newspapers write
    "press": dict(_COMMON),
    # passports since 2013 (ICAO 9303)
    "icao": {**_COMMON, "й": "i", "х": "kh", "ц": "ts", "ю": "iu", "я": "ia", "ы": "y",
             "щ": "shch", "е": "e", "ё": "e", "ъ": "ie"},
    # German-language press
    "german": {**_COMMON, "в": "w", "ж": "sch", "й": "j", "х": "ch", "ц": "z", "ч": "tsch",
               "ш": "sch", "щ": "schtsch", "ю": "ju", "я": "ja", "е": "e", "з": "s"},
    # scholarly (ISO 9 without its diacritics)
    "scholarly": {**_COMMON, "й": "j", "х": "h", "ц": "c", "ч": "ch", "ш": "sh", "щ": "shh",
                  "ю": "ju", "я": "ja", "ж": "zh"},
}
# Word endings the press writes its own way (Dmitriy or Dmitry, Yevgeny or Evgenii).
ENDINGS = {"press": [("ий", "y"), ("ей", "ey")], "icao": [("ий", "ii")]}


def transliterate(text, scheme):
    out = []
    for word in text.split(" "):
        lower = word.lower()
        tail = ""
        for ending, latin in ENDINGS.get(scheme, []):
            if lower.endswith(ending):
                lower, tail = lower[: -len(ending)], latin
                break
        latin_word = "".join(SCHEMES[scheme].get(c, c) for c in lower) + tail
        # Ye at the start of a word (Yevgeny, Yerlan), as the press writes it.
        if scheme == "press" and lower[:1] == "е":
            latin_word = "y" + latin_word
        out.append(latin_word[:1].upper() + latin_word[1:])
    return " ".join(out)


def feminine(surname):
    """Russian and Kazakh surnames take -a for women (Volkova, Nazarbayeva)."""
    if surname.endswith(("ов", "ев", "ин")):
        return surname + "а"
    return surname


FEMININE_FIRST = set(
    "Наталья Ольга Елена Татьяна Ирина Светлана Анна Мария Екатерина Юлия Ксения Людмила "
    "Айгерім Динара Гүлнара Әлия Сәуле Мадина Жанна Жұлдыз".split()
)

LATIN_CULTURES = [ENGLISH, GERMAN, FRENCH, SPANISH, POLISH, TURKISH, ARABIC, HEBREW, CHINESE]
CYRILLIC_CULTURES = [RUSSIAN, KAZAKH]

ADJECTIVES = (
    "Blue Golden Northern Southern Eastern Western Silver Green Red White Black Grand Royal "
    "United Global Pacific Atlantic Caspian Baltic Steppe Silk Road Alpine Coastal Central "
    "Prime First Crown Eagle Falcon Lion Star Sun Orion Phoenix Delta Apex Summit Horizon "
    "Meridian Vanguard Liberty Heritage Pioneer Evergreen Oak Cedar Amber Crystal Granite"
).split()
NOUNS = (
    "Harbour Bridge Gate Ridge Valley River Lake Bay Peak Stone Field Point Tower Port Star "
    "Crest Rock Coast Line Wave Wind Arc Way Cross Hill Forest Sea Mountain Ocean Key"
).split()
SECTORS = (
    "Trading Holdings Investments Capital Energy Oil Gas Logistics Shipping Construction "
    "Mining Metals Steel Technologies Systems Consulting Partners Ventures Resources "
    "Pharmaceuticals Agro Finance Realty Development Group Industries Services Engineering "
    "Telecom Media Security Import Export Textiles Foods Minerals Petroleum"
).split()
# (short form, long form): the legal form, as registries abbreviate it or spell it out.
LEGAL_FORMS = [
    ("Ltd", "Limited"), ("LLC", "Limited Liability Company"), ("LLP", "Limited Liability Partnership"),
    ("Inc.", "Incorporated"), ("Corp.", "Corporation"), ("PLC", "Public Limited Company"),
    ("GmbH", "Gesellschaft mit beschränkter Haftung"), ("AG", "Aktiengesellschaft"),
    ("S.A.", "Société Anonyme"), ("B.V.", "Besloten Vennootschap"), ("JSC", "Joint Stock Company"),
    ("S.à r.l.", "Société à responsabilité limitée"), ("Pty Ltd", "Proprietary Limited"),
    ("Sp. z o.o.", "Spółka z ograniczoną odpowiedzialnością"), ("A/S", "Aktieselskab"),
    ("Ltd.", "Limited"), ("Co.", "Company"),
]
CYRILLIC_FORMS = ["ТОО", "АО", "ООО", "ЗАО", "ПАО"]
CYRILLIC_COMPANY_WORDS = (
    "Астана Алматы Каспий Арман Береке Самрук Нефть Газ Инвест Строй Транс Снаб Мунай Энерго "
    "Капитал Холдинг Сервис Групп Север Восток Запад Юг Степь Алтын Темир Сауда Торговый Дом "
    "Металл Логистик Агро Медиа Технолоджи"
).split()
PLACES = [
    "Almaty", "Astana", "Aktau", "Atyrau", "Shymkent", "Karaganda", "Tel Aviv", "Haifa",
    "Jerusalem", "Limassol", "Nicosia", "Riga", "Tallinn", "Vienna", "Zurich", "Geneva", "London",
    "Dubai", "Istanbul", "Baku", "Tbilisi", "Moscow", "Kyiv", "Warsaw", "Prague", "Rotterdam",
    "Luxembourg", "Monaco", "Panama", "Road Town", "Valletta", "Tortola", "Singapore", "Hong Kong",
]
ORG_TYPES = ["Foundation", "Association", "Institute", "Council", "Union", "Society", "Fund",
             "Centre", "Chamber", "Committee", "Agency", "Academy", "Trust", "Network"]
ORG_FIELDS = ["Open Society", "Economic Cooperation", "Energy Security", "Civic Initiatives",
              "Regional Development", "Trade and Industry", "Cultural Heritage", "Public Health",
              "Media Freedom", "Science and Technology", "Youth Exchange", "Sports",
              "Water Resources", "Humanitarian Aid", "Strategic Studies", "Anti-Corruption"]
NATIONS = ["Kazakh", "Israeli", "Russian", "German", "French", "Turkish", "Polish", "British",
           "Cypriot", "Latvian", "Swiss", "Emirati", "Georgian", "Ukrainian", "Azerbaijani",
           "Dutch", "Austrian", "Chinese", "American", "Spanish"]
STREETS = ["Abay Avenue", "Dostyk Street", "Harbour Road", "Rothschild Boulevard", "Makariou Avenue",
           "Brīvības iela", "Bahnhofstrasse", "Kurmangazy Street", "Tverskaya Street", "Rue du Rhône",
           "Main Street", "Church Road", "Königsallee", "Al Wasl Road", "Republic Square",
           "Satpayev Street", "Nazarbayev Avenue", "Ben Yehuda Street", "Wilhelminakade", "Old Park Lane"]
COUNTRIES = ["Kazakhstan", "Israel", "Russia", "Germany", "France", "Turkey", "Poland", "United Kingdom",
             "Cyprus", "Latvia", "Switzerland", "United Arab Emirates", "Georgia", "Ukraine",
             "Azerbaijan", "Netherlands", "Austria", "China", "United States", "Spain", "Panama",
             "British Virgin Islands", "Malta", "Luxembourg", "Singapore", "Hong Kong", "Monaco",
             "Uzbekistan", "Kyrgyzstan", "Estonia"]

KIND_SHARES = [("people", 0.50), ("companies", 0.30), ("organizations", 0.05),
               ("addresses", 0.10), ("contracts", 0.05)]

# relation type -> (from kind, to kind, share, event?)
TYPES = {
    "director_of": ("people", "companies", 0.14, False),
    "shareholder_of": ("people", "companies", 0.12, False),
    "owns": ("companies", "companies", 0.12, False),
    "employed_by": ("people", "companies", 0.08, False),
    "family_of": ("people", "people", 0.05, False),
    "associate_of": ("people", "people", 0.08, False),
    "member_of": ("people", "organizations", 0.05, False),
    "registered_at": ("companies", "addresses", 0.08, False),
    "resides_at": ("people", "addresses", 0.04, False),
    "paid": ("companies", "companies", 0.10, True),
    "party_to": ("companies", "contracts", 0.06, False),
    "citizen_of": ("people", "countries", 0.04, False),
    "registered_in": ("companies", "countries", 0.04, False),
}
SOURCES = ["Companies registry extract", "Court filing", "Leaked ledger", "Procurement portal",
           "Gazette notice", "Press report", "Annual report", "Sanctions listing",
           "Land registry", "Interview notes"]


class Zipf:
    """Rank-weighted choice: item k drawn with weight 1 / (k + 1)^alpha."""

    def __init__(self, rng, items, alpha):
        self.items = list(items)
        weights = [1.0 / (k + 1) ** alpha for k in range(len(self.items))]
        total, acc = sum(weights), 0.0
        self.cdf = []
        for w in weights:
            acc += w
            self.cdf.append(acc / total)

    def pick(self, rng):
        return self.items[min(bisect.bisect_right(self.cdf, rng.random()), len(self.items) - 1)]


def words(text):
    return text.split()


def title_case(latin):
    return " ".join(w[:1].upper() + w[1:] for w in latin.split(" "))


class Names:
    def __init__(self, rng):
        self.rng = rng
        self.latin = [(Zipf(rng, words(f), 1.0), Zipf(rng, words(l), 1.1)) for f, l in LATIN_CULTURES]
        self.cyrillic = [(Zipf(rng, words(f), 1.0), Zipf(rng, words(l), 1.1)) for f, l in CYRILLIC_CULTURES]

    def person(self):
        """Returns (name, cyrillic original or None)."""
        rng = self.rng
        if rng.random() < 0.35:
            first_z, last_z = self.cyrillic[0 if rng.random() < 0.6 else 1]
            first, last = first_z.pick(rng), last_z.pick(rng)
            if first in FEMININE_FIRST:
                last = feminine(last)
            original = f"{first} {last}"
            roll = rng.random()
            if roll < 0.25:
                return original, original
            scheme = "press" if roll < 0.75 else ("icao" if roll < 0.9 else "german")
            return transliterate(original, scheme), original
        culture = rng.randrange(len(self.latin))
        first_z, last_z = self.latin[culture]
        name = f"{first_z.pick(rng)} {last_z.pick(rng)}"
        if rng.random() < 0.08:  # a middle initial
            name = name.replace(" ", f" {chr(65 + rng.randrange(26))}. ", 1)
        return name, None

    def company(self):
        """Returns (name, legal form index or None)."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.12:
            form = rng.choice(CYRILLIC_FORMS)
            body = " ".join(rng.sample(CYRILLIC_COMPANY_WORDS, rng.choice([1, 2, 2, 3])))
            return f"{form} «{body}»", None
        form_index = rng.randrange(len(LEGAL_FORMS))
        form = LEGAL_FORMS[form_index][0]
        if roll < 0.45:
            body = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {rng.choice(SECTORS)}"
        elif roll < 0.70:
            _, last_z = self.latin[rng.randrange(len(self.latin))]
            body = f"{last_z.pick(rng)} {rng.choice(SECTORS)}"
            if rng.random() < 0.2:
                body = f"{last_z.pick(rng)} & {body}"
        elif roll < 0.90:
            body = f"{rng.choice(PLACES)} {rng.choice(SECTORS)}"
        else:
            body = f"{rng.choice(ADJECTIVES)} {rng.choice(SECTORS)}"
        return f"{body} {form}", form_index

    def organization(self):
        rng = self.rng
        roll = rng.random()
        if roll < 0.5:
            return f"{rng.choice(NATIONS)} {rng.choice(ORG_TYPES)} for {rng.choice(ORG_FIELDS)}"
        if roll < 0.8:
            return f"{rng.choice(ORG_TYPES)} of {rng.choice(NATIONS)} {rng.choice(ORG_FIELDS)}"
        return f"{rng.choice(PLACES)} {rng.choice(ORG_TYPES)} of {rng.choice(ORG_FIELDS)}"

    def address(self):
        rng = self.rng
        number = rng.randrange(1, 250)
        flat = f", Flat {rng.randrange(1, 90)}" if rng.random() < 0.3 else ""
        return f"{number} {rng.choice(STREETS)}{flat}, {rng.choice(PLACES)}"

    def contract(self):
        rng = self.rng
        roll = rng.random()
        year = rng.randrange(1995, 2026)
        if roll < 0.4:
            return f"Contract No. {rng.randrange(1, 100000)}/{year}"
        if roll < 0.7:
            return f"Tender {year}-{rng.randrange(1, 999):03d} Lot {rng.randrange(1, 40)}"
        return f"Loan Agreement {rng.randrange(1, 5000)} of {year}"


# --- twins -------------------------------------------------------------------------------------

ACCENTS = str.maketrans(
    "àáâãäåāăąçćčďđèéêëēėęěğìíîïīįıłñńňòóôõöøōőřśšşťţùúûüūůűýÿźżžÀÁÂÄÅÇČĎÉÈÊËĚĞÍÎİŁÑŃŇÓÔÖØŘŚŠŞŤÚÜŮÝŹŻŽ",
    "aaaaaaaaacccddeeeeeeeegiiiiiiilnnnoooooooorsssttuuuuuuuyyzzzAAAAACCDEEEEEGIIILNNNOOOORSSSTUUUYZZZ",
)
GERMAN_UMLAUTS = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}


def letters(name):
    return sum(1 for c in name if c.isalpha())


def typo(rng, name):
    positions = [i for i, c in enumerate(name) if c.isalpha()]
    i = rng.choice(positions)
    op = rng.random()
    alphabet = "abcdefghijklmnopqrstuvwxyz" if name[i].isascii() else name[i]
    if op < 0.3:
        new = rng.choice([c for c in alphabet if c != name[i].lower()] or ["e"])
        return name[:i] + (new.upper() if name[i].isupper() else new) + name[i + 1:]
    if op < 0.55:
        return name[:i] + name[i + 1:]
    if op < 0.8:
        return name[:i] + rng.choice("aeiounrst") + name[i:]
    j = i + 1
    if j < len(name) and name[j].isalpha() and name[j] != name[i]:
        return name[:i] + name[j] + name[i] + name[j + 1:]
    return name[:i] + name[i + 1:]


def twin_of(rng, kind, name, original, legal_index):
    """Returns (twin name, category) or None when no variant of this name fits."""
    options = ["case", "typo"] if letters(name) >= 8 else ["case"]
    if original is not None:
        options += ["translit", "translit"]
    if name.translate(ACCENTS) != name or any(c in name for c in GERMAN_UMLAUTS):
        options += ["accent", "accent"]
    if kind == "people" and " " in name and original is None:
        options.append("order")
    if legal_index is not None:
        options.append("legal")
    category = rng.choice(options)
    if category == "case":
        twin = name.upper() if rng.random() < 0.7 else name.lower()
    elif category == "typo":
        twin = typo(rng, name)
    elif category == "translit":
        schemes = [s for s in SCHEMES if transliterate(original, s) != name]
        if name != original and rng.random() < 0.3:
            twin = original  # the Cyrillic beside its Latin form
        else:
            twin = transliterate(original, rng.choice(schemes)) if schemes else None
    elif category == "accent":
        if any(c in name for c in GERMAN_UMLAUTS) and rng.random() < 0.3:
            twin = "".join(GERMAN_UMLAUTS.get(c, c) for c in name)
        else:
            twin = name.translate(ACCENTS)
    elif category == "order":
        parts = name.split(" ")
        twin = f"{parts[-1]} {' '.join(parts[:-1])}"
        if rng.random() < 0.5:
            twin = f"{parts[-1].upper()}, {' '.join(parts[:-1])}"
    else:
        short, long = LEGAL_FORMS[legal_index]
        twin = name[: -len(short)] + long
    if not twin or twin == name:
        return None
    return twin, category


# --- output ------------------------------------------------------------------------------------

def csv_cell(text):
    if any(c in text for c in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def partial_date(rng, year):
    roll = rng.random()
    if roll < 0.35:
        return str(year)
    if roll < 0.6:
        return f"{year}-{rng.randrange(1, 13):02d}"
    return f"{year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", choices=list(SIZES), default="leak")
    ap.add_argument("--entities", type=int)
    ap.add_argument("--relations", type=int)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--twins", type=float, default=0.02, help="share of entities that are planted twins")
    ap.add_argument("--pairs", type=int, default=1000)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    n_entities, n_relations = SIZES[args.size]
    n_entities = args.entities or n_entities
    n_relations = args.relations or n_relations
    started = time.time()
    rng = random.Random(args.seed)
    names = Names(rng)
    root = os.path.join(args.out, "data")
    os.makedirs(os.path.join(root, "entities"), exist_ok=True)
    os.makedirs(os.path.join(root, "relations"), exist_ok=True)

    # Entities: (id, kind, name, community), twins appended after their originals' kind.
    counts = {kind: max(1, int(n_entities * share)) for kind, share in KIND_SHARES}
    counts["people"] += n_entities - sum(counts.values()) - len(COUNTRIES)
    prefixes = {"people": "p", "companies": "k", "organizations": "o", "addresses": "a", "contracts": "t"}
    communities = max(1, n_entities // 150)
    entities = {kind: [] for kind in counts}
    entities["countries"] = [(f"c{i:03d}", name, -1, None) for i, name in enumerate(COUNTRIES)]
    twins = []
    n_twins = int(n_entities * args.twins)
    twin_every = max(1, int(1 / args.twins)) if args.twins > 0 else 0
    for kind, count in counts.items():
        rows = entities[kind]
        serial = 0
        while len(rows) < count:
            community = rng.randrange(communities)
            original, legal = None, None
            if kind == "people":
                name, original = names.person()
            elif kind == "companies":
                name, legal = names.company()
            elif kind == "organizations":
                name = names.organization()
            elif kind == "addresses":
                name = names.address()
            else:
                name = names.contract()
            rows.append((f"{prefixes[kind]}{serial:07d}", name, community, original))
            serial += 1
            if (twin_every and kind in ("people", "companies", "organizations") and len(twins) < n_twins
                    and rng.randrange(twin_every) == 0 and len(rows) < count):
                made = twin_of(rng, kind, name, original, legal)
                if made:
                    twin_name, category = made
                    # A twin lives in the same community: it is the same entity seen twice.
                    rows.append((f"{prefixes[kind]}{serial:07d}", twin_name, community, original))
                    twins.append((rows[-2][0], rows[-1][0], category))
                    serial += 1

    ids = {kind: [row[0] for row in rows] for kind, rows in entities.items()}
    by_community = {kind: {} for kind in entities}
    for kind, rows in entities.items():
        for index, row in enumerate(rows):
            by_community[kind].setdefault(row[2], []).append(index)
    # Heavy tails: within a kind, member k of the shuffled order is picked with weight 1/(k+1)^0.8.
    hubs = {kind: Zipf(rng, rng.sample(range(len(rows)), len(rows)), 0.8) for kind, rows in entities.items()}
    community_zipf = {}

    def pick(kind, community):
        rows = entities[kind]
        members = by_community[kind].get(community)
        if kind == "countries" or not members or rng.random() < 0.15:
            return rows[hubs[kind].pick(rng)]
        key = (kind, community)
        zipf = community_zipf.get(key)
        if zipf is None:
            zipf = community_zipf[key] = Zipf(rng, members, 0.9)
        return rows[zipf.pick(rng)]

    with open(os.path.join(root, "entities", "people.csv"), "w", newline="") as f:
        f.write("id,name,born:date,nationality,name_original\n")
        for id_, name, _, original in entities["people"]:
            born = partial_date(rng, rng.randrange(1940, 2004)) if rng.random() < 0.7 else ""
            nation = rng.choice(COUNTRIES) if rng.random() < 0.8 else ""
            f.write(f"{id_},{csv_cell(name)},{born},{csv_cell(nation)},{csv_cell(original or '')}\n")
    with open(os.path.join(root, "entities", "companies.csv"), "w", newline="") as f:
        f.write("id,name,founded:date,jurisdiction,registration\n")
        for id_, name, _, _ in entities["companies"]:
            founded = partial_date(rng, rng.randrange(1950, 2024)) if rng.random() < 0.8 else ""
            reg = f"{rng.randrange(10**7, 10**8)}" if rng.random() < 0.7 else ""
            f.write(f"{id_},{csv_cell(name)},{founded},{csv_cell(rng.choice(COUNTRIES))},{reg}\n")
    for kind in ("organizations", "addresses", "contracts"):
        with open(os.path.join(root, "entities", f"{kind}.csv"), "w", newline="") as f:
            f.write("id,name\n")
            for id_, name, _, _ in entities[kind]:
                f.write(f"{id_},{csv_cell(name)}\n")
    with open(os.path.join(root, "entities", "countries.csv"), "w", newline="") as f:
        f.write("id,name\n")
        for id_, name, _, _ in entities["countries"]:
            f.write(f"{id_},{csv_cell(name)}\n")

    # Relations: first every entity gets one (so few are isolated), then the rest by share.
    type_names = list(TYPES)
    shares = [TYPES[t][2] for t in type_names]
    plan = []
    for kind, rows in entities.items():
        if kind == "countries":
            continue
        options = [t for t in type_names if kind in TYPES[t][:2]]
        for row in rows:
            if len(plan) >= n_relations:
                break
            plan.append((rng.choice(options), row))
    out = {t: [] for t in type_names}
    written = 0

    def add(rel_type, a, b):
        start_year = rng.randrange(1992, 2026)
        start = partial_date(rng, start_year) if rng.random() < 0.85 else ""
        end = ""
        if start and not TYPES[rel_type][3] and rng.random() < 0.35:
            end = str(min(2026, start_year + rng.randrange(0, 12)))
        source = f"{rng.choice(SOURCES)} {rng.randrange(1, 9999)}"
        note = "" if rng.random() < 0.6 else f"page {rng.randrange(1, 400)}"
        out[rel_type].append(f"{a[0]},{rel_type},{b[0]},{start},{end},{source},{note}\n")

    for rel_type, row in plan:
        from_kind, to_kind = TYPES[rel_type][:2]
        if from_kind == to_kind == row_kind(row, prefixes):
            other = pick(to_kind, row[2])
            a, b = (row, other) if rng.random() < 0.5 else (other, row)
        elif from_kind == row_kind(row, prefixes):
            a, b = row, pick(to_kind, row[2])
        else:
            a, b = pick(from_kind, row[2]), row
        if a[0] != b[0]:
            add(rel_type, a, b)
            written += 1
    cumulative = []
    acc = 0.0
    for s in shares:
        acc += s
        cumulative.append(acc / sum(shares))
    while written < n_relations:
        rel_type = type_names[min(bisect.bisect_right(cumulative, rng.random()), len(type_names) - 1)]
        from_kind, to_kind = TYPES[rel_type][:2]
        community = rng.randrange(communities)
        a = pick(from_kind, community)
        b = pick(to_kind, a[2] if a[2] >= 0 else community)
        if a[0] == b[0]:
            continue
        add(rel_type, a, b)
        written += 1
    for rel_type, lines in out.items():
        with open(os.path.join(root, "relations", f"{rel_type}.csv"), "w", newline="") as f:
            f.write("from,type,to,start,end,source,note\n")
            f.writelines(lines)
    with open(os.path.join(root, "ties.toml"), "w") as f:
        f.write("# Written by benches/realistic.py.\n")
        for rel_type, (_, _, _, event) in TYPES.items():
            f.write(f'[schema.types.{rel_type}]\ntime = "{"event" if event else "state"}"\n')

    all_ids = [row[0] for rows in entities.values() for row in rows]
    with open(os.path.join(args.out, "pairs.csv"), "w") as f:
        f.write("from,to\n")
        pair_rng = random.Random(args.seed + 1_000_003)
        for _ in range(args.pairs):
            a, b = pair_rng.sample(all_ids, 2)
            f.write(f"{a},{b}\n")
    with open(os.path.join(args.out, "twins.csv"), "w", newline="") as f:
        f.write("a,b,category\n")
        f.writelines(f"{a},{b},{category}\n" for a, b, category in twins)
    manifest = {
        "generator": "benches/realistic.py", "seed": args.seed,
        "entities": sum(len(rows) for rows in entities.values()), "relations": written,
        "kinds": {kind: len(rows) for kind, rows in entities.items()},
        "types": {t: len(lines) for t, lines in out.items()},
        "twins": {c: sum(1 for t in twins if t[2] == c) for c in sorted({t[2] for t in twins})},
        "seconds": round(time.time() - started, 1),
    }
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    print(json.dumps(manifest))


def row_kind(row, prefixes):
    for kind, prefix in prefixes.items():
        if row[0].startswith(prefix):
            return kind
    return "countries"


if __name__ == "__main__":
    main()

"""Multilingual linkage set, generator 1 of 2: curated spellings of one name, as two organisations record it.

    .venv/bin/python bench/multilingual_curated.py --people 2000 --out-dir var/ml-curated [--seed 1]

Writes ``a.csv`` and ``b.csv`` (the `lantern link` input format) and ``truth.csv`` (``a_id,b_id``: the pairs
that are one person). Names come from hand-written lists of attested spellings of one name: Arabic and Persian
script, Ge'ez (Tigrinya/Amharic), Cyrillic (Ukrainian/Russian), Vietnamese with and without diacritics, and
Latin transliterations; compound names split, joined or hyphenated (Abd al-Rahman, Abdelrahman, Abdel Rahman);
particles and articles (Al-, El, bin, Nguyễn Thị). Organisation A writes one spelling, organisation B another,
and B's clerk may also swap given and family names, keep only one of several given names, know only the year
of birth, swap day and month, or make a typo. Namesakes (same names, another date of birth) and siblings
(same family name and place) are in both files as hard non-matches.

The other generator (``multilingual_translit.py``) is written independently: its names are transliterated by
rules from a different list, with another noise model. Deterministic for a given --seed.
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

# Each entry: spellings of one given name as they reach different organisations. The first is a plain Latin
# spelling. Lists are curated by hand from common transliteration practice (UN/ICAO passports, Arabic/Persian
# script, Ge'ez, Ukrainian and Russian Cyrillic, Vietnamese).
GIVEN = {
    "arabic": {
        "M": [
            ["Muhammad", "Mohammed", "Mohamed", "Mohammad", "محمد", "Мухаммад", "Mohamad", "Muhammed"],
            [
                "Abdulrahman",
                "Abd al-Rahman",
                "Abdelrahman",
                "Abdel Rahman",
                "Abdul Rahman",
                "عبد الرحمن",
                "عبدالرحمن",
                "Abdurrahman",
                "Abdirahman",
                "Абдурахман",
            ],
            ["Abdullah", "Abd Allah", "Abdallah", "Abdulla", "عبد الله", "عبدالله", "Абдулла"],
            ["Abdulaziz", "Abd al-Aziz", "Abdelaziz", "Abdul Aziz", "عبد العزيز", "Абдулазиз"],
            ["Ahmad", "Ahmed", "أحمد", "احمد", "Ахмед", "Akhmad"],
            ["Yusuf", "Yousef", "Youssef", "Yousif", "يوسف", "Юсуф"],
            ["Omar", "Umar", "Omer", "عمر", "Умар"],
            ["Hussein", "Hussain", "Husein", "Hossein", "حسين", "Хусейн"],
            ["Khalid", "Khaled", "خالد", "Халид"],
            ["Ibrahim", "Ebrahim", "Ibraheem", "إبراهيم", "ابراهيم", "Ибрагим"],
            ["Mustafa", "Mostafa", "Moustafa", "مصطفى", "Мустафа"],
            ["Tariq", "Tarek", "Tareq", "طارق", "Тарик"],
            ["Saeed", "Said", "Sayed", "سعيد", "Саид"],
            ["Nasser", "Nasir", "Naser", "ناصر", "Насер"],
            ["Bilal", "Belal", "بلال", "Билал"],
            ["Hamza", "Hamzah", "حمزة", "Хамза"],
            ["Idris", "Idriss", "Edris", "إدريس", "Идрис"],
            ["Jamal", "Gamal", "Djamal", "جمال", "Джамал"],
            ["Karim", "Kareem", "كريم", "Карим"],
            ["Walid", "Waleed", "وليد", "Валид"],
            ["Osman", "Othman", "Uthman", "عثمان", "Осман"],
            ["Ismail", "Ismael", "Esmail", "إسماعيل", "Исмаил"],
            ["Salah al-Din", "Salahuddin", "Salah Eddine", "Salaheddin", "صلاح الدين", "Салахуддин"],
            ["Nour al-Din", "Nureddin", "Nour Eddine", "Noureddine", "نور الدين", "Нуреддин"],
        ],
        "F": [
            ["Fatima", "Fatimah", "Fatma", "فاطمة", "Фатима"],
            ["Aisha", "Aicha", "Ayesha", "عائشة", "Аиша"],
            ["Khadija", "Khadijah", "Khadidja", "خديجة", "Хадиджа"],
            ["Maryam", "Mariam", "Meryem", "مريم", "Марьям"],
            ["Zainab", "Zaynab", "Zeinab", "زينب", "Зайнаб"],
            ["Amina", "Aminah", "Ameena", "أمينة", "Амина"],
            ["Layla", "Leila", "Laila", "ليلى", "Лейла"],
            ["Noor", "Nour", "Nur", "نور", "Нур"],
            ["Huda", "Houda", "Hoda", "هدى", "Худа"],
            ["Rania", "Ranya", "رانيا", "Рания"],
            ["Samira", "Sameera", "سميرة", "Самира"],
            ["Yasmin", "Yasmine", "Jasmin", "ياسمين", "Ясмин"],
            ["Salma", "Selma", "سلمى", "Сальма"],
            ["Hana", "Hanaa", "هناء", "Хана"],
        ],
    },
    "farsi": {
        "M": [
            ["Mohammad Reza", "Mohammadreza", "Muhammad Rida", "محمد رضا", "محمدرضا", "Мохаммад Реза"],
            ["Ali Reza", "Alireza", "Aliriza", "علی رضا", "علیرضا", "Алиреза"],
            ["Hossein", "Hosein", "Hussein", "حسین", "Хосейн"],
            ["Mehdi", "Mahdi", "Mehdy", "مهدی", "Мехди"],
            ["Reza", "Rida", "Riza", "رضا", "Реза"],
            ["Amir", "Ameer", "امیر", "Амир"],
            ["Dariush", "Darioush", "Daryush", "داریوش", "Дариуш"],
            ["Farhad", "Farhaad", "فرهاد", "Фархад"],
            ["Javad", "Jawad", "Djavad", "جواد", "Джавад"],
            ["Morteza", "Mortaza", "Murtaza", "مرتضی", "Мортеза"],
            ["Abolfazl", "Abol Fazl", "Abu al-Fazl", "ابوالفضل", "Аболфазл"],
            ["Gholamreza", "Gholam Reza", "Ghulam Rida", "غلامرضا", "Голамреза"],
        ],
        "F": [
            ["Fatemeh", "Fatima", "Fatemah", "فاطمه", "Фатеме"],
            ["Zahra", "Zohreh", "Zehra", "زهرا", "Захра"],
            ["Maryam", "Mariam", "مریم", "Марьям"],
            ["Shirin", "Shireen", "شیرین", "Ширин"],
            ["Parisa", "Parissa", "پریسا", "Париса"],
            ["Roya", "Royaa", "رویا", "Роя"],
            ["Niloufar", "Nilufar", "Niloofar", "نیلوفر", "Нилуфар"],
            ["Golnar", "Gulnar", "گلنار", "Гульнар"],
        ],
    },
    "geez": {
        "M": [
            ["Yohannes", "Yohanes", "Johannes", "ዮሃንስ", "ዮሐንስ", "Йоханнес"],
            ["Tesfaye", "Tesfay", "Tesfai", "ተስፋዬ", "ተስፋይ", "Тесфайе"],
            ["Gebremedhin", "Gebre Medhin", "Ghebremedhin", "Gebre-Medhin", "ገብረመድህን", "ገብረ መድህን"],
            ["Gebreyesus", "Gebre Yesus", "Ghebreyesus", "ገብረየሱስ", "ገብረ የሱስ"],
            ["Haile Mariam", "Hailemariam", "Haile-Mariam", "ኃይለ ማርያም", "ሃይለማርያም"],
            ["Tewolde", "Tewelde", "Teweldemedhin", "ተወልደ", "Тевольде"],
            ["Mehari", "Mehary", "መሓሪ", "Мехари"],
            ["Dawit", "Dawitt", "Dawid", "ዳዊት", "Давит"],
            ["Berhane", "Berhan", "Birhane", "ብርሃነ", "Берхане"],
            ["Kidane", "Kidan", "ኪዳነ", "Кидане"],
            ["Biniam", "Biniyam", "Bineam", "ቢንያም", "Биниам"],
            ["Filmon", "Philemon", "Filimon", "ፊልሞን", "Филмон"],
            ["Habtom", "Habtu", "ሃብቶም", "Хабтом"],
            ["Semere", "Semre", "ሰመረ", "Семере"],
        ],
        "F": [
            ["Selam", "Selamawit", "Salam", "ሰላም", "Селам"],
            ["Luwam", "Luam", "ሉዋም", "Луам"],
            ["Senait", "Senayt", "ሰናይት", "Сенаит"],
            ["Mihret", "Mehret", "ምሕረት", "Михрет"],
            ["Hiwot", "Hiwet", "ሕይወት", "Хивот"],
            ["Freweini", "Frewoini", "Freweyni", "ፍረወይኒ"],
            ["Tsega", "Tsegga", "ጸጋ", "Цега"],
            ["Rahel", "Rachel", "ራሄል", "Рахель"],
        ],
    },
    "cyrillic": {
        "M": [
            ["Oleksandr", "Aleksandr", "Alexander", "Олександр", "Александр", "Oleksander"],
            ["Oleksii", "Aleksei", "Alexey", "Олексій", "Алексей", "Oleksiy"],
            ["Dmytro", "Dmitry", "Dmitri", "Дмитро", "Дмитрий", "Dmitriy"],
            ["Serhii", "Sergei", "Sergey", "Сергій", "Сергей", "Serhiy"],
            ["Andrii", "Andrei", "Andrey", "Андрій", "Андрей", "Andriy"],
            ["Yurii", "Yuri", "Iurii", "Юрій", "Юрий", "Jurij"],
            ["Mykola", "Nikolai", "Nikolay", "Микола", "Николай"],
            ["Volodymyr", "Vladimir", "Wladimir", "Володимир", "Владимир"],
            ["Ivan", "Iwan", "Іван", "Иван"],
            ["Mykhailo", "Mikhail", "Michail", "Михайло", "Михаил"],
            ["Vasyl", "Vasily", "Vasiliy", "Василь", "Василий"],
            ["Hryhorii", "Grigory", "Grigoriy", "Григорій", "Григорий"],
            ["Yevhen", "Evgeny", "Yevgeniy", "Євген", "Евгений"],
            ["Taras", "Тарас"],
        ],
        "F": [
            ["Nataliia", "Natalia", "Natalya", "Наталія", "Наталья"],
            ["Olha", "Olga", "Ольга"],
            ["Yuliia", "Yulia", "Julia", "Юлія", "Юлия"],
            ["Tetiana", "Tatiana", "Tatyana", "Тетяна", "Татьяна"],
            ["Olena", "Elena", "Yelena", "Олена", "Елена"],
            ["Kateryna", "Ekaterina", "Yekaterina", "Катерина", "Екатерина"],
            ["Oksana", "Оксана"],
            ["Iryna", "Irina", "Ірина", "Ирина"],
            ["Svitlana", "Svetlana", "Світлана", "Светлана"],
            ["Liudmyla", "Lyudmila", "Ludmila", "Людмила"],
        ],
    },
    "vietnamese": {
        "M": [
            ["Văn Minh", "Van Minh", "Minh"],
            ["Văn Hùng", "Van Hung", "Hùng"],
            ["Đức Anh", "Duc Anh", "Ðức Anh"],
            ["Quốc Tuấn", "Quoc Tuan", "Tuấn"],
            ["Hữu Phước", "Huu Phuoc", "Phuoc"],
            ["Thanh Tùng", "Thanh Tung", "Tùng"],
            ["Công Thành", "Cong Thanh", "Thành"],
            ["Văn Long", "Van Long", "Long"],
        ],
        "F": [
            ["Thị Hương", "Thi Huong", "Hương"],
            ["Thị Lan", "Thi Lan", "Lan"],
            ["Thị Mai", "Thi Mai", "Mai"],
            ["Ngọc Ánh", "Ngoc Anh", "Ngọc Anh"],
            ["Thị Thu Hà", "Thi Thu Ha", "Thu Hà"],
            ["Thị Thủy", "Thi Thuy", "Thủy"],
            ["Minh Châu", "Minh Chau", "Châu"],
            ["Thị Hồng", "Thi Hong", "Hồng"],
        ],
    },
    "latin": {
        "M": [
            ["Chinedu", "Chinedum", "Chinédu"],
            ["Oluwaseun", "Oluwashegun", "Seun"],
            ["Emmanuel", "Emanuel", "Immanuel"],
            ["José Luis", "Jose Luis", "José-Luis", "Joseluis"],
            ["Ion", "Ioan", "Ionut"],
            ["Gheorghe", "Georghe", "George"],
            ["Arben", "Arbën"],
            ["Besnik", "Besnick"],
            ["Jean-Baptiste", "Jean Baptiste", "Jeanbaptiste"],
            ["François", "Francois", "Fransua"],
        ],
        "F": [
            ["Blessing", "Blesing"],
            ["Chioma", "Chiomah"],
            ["Andreea", "Andreia", "Andrea"],
            ["Mihaela", "Michaela", "Mihaella"],
            ["Drita", "Dritë"],
            ["María José", "Maria Jose", "María-José", "Mariajose"],
            ["Anaïs", "Anais"],
        ],
    },
}
FAMILY = {
    "arabic": [
        ["Al-Hassan", "El Hassan", "Alhassan", "Hassan", "الحسن", "Аль-Хасан"],
        ["Al-Masri", "El-Masry", "Almasri", "Masri", "المصري", "Аль-Масри"],
        ["Abdel Fattah", "Abd al-Fattah", "Abdelfattah", "Abdul Fatah", "عبد الفتاح"],
        ["Bin Laden", "bin Ladin", "Binladin", "بن لادن"],
        ["Ben Ali", "Bin Ali", "Benali", "بن علي"],
        ["Al-Khatib", "El Khatib", "Alkhatib", "Khatib", "الخطيب", "Аль-Хатиб"],
        ["Haddad", "Hadad", "حداد", "Хаддад"],
        ["Al-Najjar", "En-Najjar", "Najjar", "النجار"],
        ["Mansour", "Mansur", "Mansoor", "منصور", "Мансур"],
        ["Darwish", "Darweesh", "Derviche", "درويش", "Дарвиш"],
        ["Abu Bakr", "Aboubakr", "Abubakar", "أبو بكر", "ابوبكر"],
        ["Al-Tamimi", "At-Tamimi", "Tamimi", "التميمي"],
        ["Qureshi", "Qurayshi", "Koreishi", "القرشي"],
        ["Suleiman", "Sulaiman", "Sleiman", "سليمان", "Сулейман"],
        ["Al-Zahrani", "Az-Zahrani", "Zahrani", "الزهراني"],
        ["Farouk", "Faruq", "Farouq", "فاروق", "Фарук"],
        ["Ould Abdallah", "Ould Abdellahi", "ولد عبد الله"],
        ["Awad", "Awadh", "عوض", "Авад"],
        ["Al-Shami", "Ash-Shami", "Shami", "الشامي"],
        ["Ibn Rashid", "Ibn Rasheed", "بن راشد"],
    ],
    "farsi": [
        ["Hosseini", "Husseini", "Hoseyni", "حسینی", "Хосейни"],
        ["Mohammadi", "Muhammadi", "Mohamadi", "محمدی", "Мохаммади"],
        ["Rezaei", "Rezaie", "Rezai", "رضایی", "Резаи"],
        ["Ahmadi", "Ahmady", "احمدی", "Ахмади"],
        ["Karimi", "Kareemi", "کریمی", "Карими"],
        ["Jafari", "Jaafari", "Djafari", "جعفری", "Джафари"],
        ["Ghasemi", "Qasemi", "Ghassemi", "قاسمی", "Гасеми"],
        ["Sadeghi", "Sadeqi", "Sadegi", "صادقی", "Садеги"],
        ["Mousavi", "Musavi", "Moosavi", "موسوی", "Мусави"],
        ["Rahimi", "Raheemi", "رحیمی", "Рахими"],
        ["Tehrani", "Tehrany", "تهرانی", "Техрани"],
        ["Heidari", "Haidari", "Heydari", "حیدری", "Хейдари"],
    ],
    "geez": [
        ["Tesfamariam", "Tesfa Mariam", "Tesfa-Mariam", "ተስፋማርያም", "ተስፋ ማርያም"],
        ["Gebremichael", "Gebre Michael", "Ghebremichael", "Gebre-Mikael", "ገብረሚካኤል"],
        ["Woldemariam", "Wolde Mariam", "Weldemariam", "ወልደማርያም", "ወልደ ማርያም"],
        ["Kahsay", "Kahsai", "ካሕሳይ", "Кахсай"],
        ["Tekle", "Teklay", "Tekleh", "ተኽለ", "Текле"],
        ["Abraha", "Abrha", "Abreha", "ኣብርሃ", "Абраха"],
        ["Mebrahtu", "Mebratu", "Mebrahtom", "መብራህቱ"],
        ["Haile", "Hayle", "Hailu", "ሃይለ", "Хайле"],
        ["Negash", "Negassi", "ነጋሽ", "Негаш"],
        ["Ghirmay", "Girmay", "Ghirmai", "ግርማይ", "Гирмай"],
        ["Asmerom", "Asmerum", "ኣስመሮም", "Асмером"],
        ["Okbazghi", "Ogbazghi", "Okbazgi", "ዑቕባዝጊ"],
    ],
    "cyrillic": [
        ["Shevchenko", "Ševčenko", "Schewtschenko", "Шевченко"],
        ["Kovalenko", "Kowalenko", "Коваленко"],
        ["Bondarenko", "Бондаренко"],
        ["Tkachenko", "Tkatschenko", "Ткаченко"],
        ["Kravchenko", "Krawtschenko", "Кравченко"],
        ["Oliinyk", "Oleinik", "Oliynyk", "Олійник", "Олейник"],
        ["Melnyk", "Melnik", "Мельник"],
        ["Kuznetsov", "Kuznetsow", "Kouznetsov", "Кузнецов"],
        ["Smirnov", "Smirnow", "Smirnoff", "Смирнов"],
        ["Sokolov", "Sokolow", "Соколов"],
        ["Lysenko", "Lisenko", "Лисенко", "Лысенко"],
        ["Zhuk", "Zhouk", "Schuk", "Жук"],
        ["Hnatiuk", "Gnatyuk", "Hnatyuk", "Гнатюк"],
        ["Yatsenko", "Jatsenko", "Iatsenko", "Яценко"],
    ],
    "vietnamese": [
        ["Nguyễn", "Nguyen", "Nguyên", "Ngyuen"],
        ["Trần", "Tran"],
        ["Lê", "Le"],
        ["Phạm", "Pham"],
        ["Hoàng", "Hoang", "Huỳnh"],
        ["Võ", "Vo", "Vu"],
        ["Đặng", "Dang", "Ðặng"],
        ["Bùi", "Bui"],
        ["Đỗ", "Do", "Ðỗ"],
        ["Ngô", "Ngo"],
    ],
    "latin": [
        ["Okafor", "Okaforr"],
        ["Adeyemi", "Adeyemy"],
        ["Popescu", "Popesku"],
        ["Ionescu", "Ionesku"],
        ["Hoxha", "Hodja", "Hoxhaj"],
        ["Krasniqi", "Krasnici"],
        ["García López", "Garcia Lopez", "García", "Garcia-Lopez"],
        ["De la Cruz", "Dela Cruz", "Delacruz", "de la Cruz"],
        ["Van der Berg", "van den Berg", "Vandenberg"],
        ["N'Diaye", "Ndiaye", "NDiaye"],
    ],
}
# Where people of each tradition come from (ISO 3166 alpha-2): the citizenship column.
COUNTRIES = {
    "arabic": ["SD", "SY", "IQ", "EG", "LY", "YE", "MR"],
    "farsi": ["IR", "AF"],
    "geez": ["ER", "ET"],
    "cyrillic": ["UA", "RU", "BY"],
    "vietnamese": ["VN"],
    "latin": ["NG", "RO", "AL", "FR", "ES"],
}
# Traditions in which the family name is written first by some clerks (Vietnamese always is).
FAMILY_FIRST = {"vietnamese"}


def random_date(rng: random.Random) -> tuple[int, int, int]:
    year = rng.randint(1960, 2010)
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    return year, month, day


def spelling(rng: random.Random, variants: list[str], avoid: str | None = None) -> str:
    choices = [value for value in variants if value != avoid] or variants
    return rng.choice(choices)


def typo(rng: random.Random, text: str) -> str:
    """One keyboard slip in a Latin name: a letter dropped, doubled, or two neighbours exchanged."""
    letters = [index for index, char in enumerate(text) if char.isascii() and char.isalpha()]
    if len(letters) < 4:
        return text
    at = rng.choice(letters[1:-1])
    how = rng.choice(("drop", "double", "swap"))
    if how == "drop":
        return text[:at] + text[at + 1 :]
    if how == "double":
        return text[:at] + text[at] + text[at:]
    return text[:at] + text[at + 1] + text[at] + text[at + 2 :] if at + 1 < len(text) else text


def one_given_name(given: str) -> str:
    """One of several given names (not a particle such as Văn or Thị, nor half of a compound)."""
    words = given.replace("-", " ").split()
    if len(words) < 2:
        return given
    if words[0].lower() in ("văn", "van", "thị", "thi"):
        return words[-1]
    # Keep a compound whole (Abd al-Rahman, Salah al-Din): cut after it.
    for at in range(1, len(words)):
        if words[at - 1].lower() not in (
            "al",
            "el",
            "abd",
            "abdel",
            "abdul",
            "abu",
            "abol",
            "gebre",
            "tesfa",
            "عبد",
        ):
            if words[at].lower() not in ("al", "el", "al-rahman", "eddine") and not words[
                at
            ].lower().startswith(("al-", "ad-", "ud-", "ال")):
                return " ".join(words[:at])
    return given


# Traditions that add the father's given name after one's own (Sudan, Eritrea, Ethiopia, Iraq...): a clerk
# may write both, or the first only.
FATHERS_NAME = {"arabic": 0.6, "geez": 0.7, "farsi": 0.2}


def given_names(rng: random.Random, tradition: str, sex: str) -> list[str]:
    """Spellings of a person's given name(s): their own, and in some traditions their father's after it."""
    own = rng.choice(GIVEN[tradition][sex])
    if rng.random() >= FATHERS_NAME.get(tradition, 0.0):
        return own
    father = rng.choice(GIVEN[tradition]["M"])
    # Spelling k of the own name goes with spelling k of the father's (same script or convention).
    return [f"{own[k % len(own)]} {father[k % len(father)]}" for k in range(max(len(own), len(father)))]


def person(rng: random.Random, tradition: str) -> dict:
    sex = rng.choice("MF")
    return {
        "tradition": tradition,
        "sex": sex,
        "given": given_names(rng, tradition, sex),
        "family": rng.choice(FAMILY[tradition]),
        "born": random_date(rng),
        "country": rng.choice(COUNTRIES[tradition]),
    }


def write_date(born: tuple[int, int, int]) -> str:
    return f"{born[0]:04d}-{born[1]:02d}-{born[2]:02d}"


def record_a(rng: random.Random, who: dict) -> dict:
    return {
        "given_name": spelling(rng, who["given"]),
        "family_name": spelling(rng, who["family"]),
        "date_of_birth": write_date(who["born"]),
        "sex": who["sex"],
        "citizenship": who["country"],
    }


def record_b(rng: random.Random, who: dict, first: dict) -> dict:
    """The same person as B's clerk records them: another spelling, and one or two of the usual troubles."""
    given = spelling(rng, who["given"], avoid=first["given_name"])
    family = spelling(rng, who["family"], avoid=first["family_name"])
    year, month, day = who["born"]
    born = write_date(who["born"])
    troubles = rng.sample(("swap", "one given", "year only", "day-month", "typo", "none", "none"), k=2)
    for trouble in troubles:
        if trouble == "swap" or (
            trouble == "none" and who["tradition"] in FAMILY_FIRST and rng.random() < 0.5
        ):
            given, family = family, given
        elif trouble == "one given":
            given = one_given_name(given)
        elif trouble == "year only":
            born = f"{year:04d}"
        elif trouble == "day-month" and day <= 12:
            born = f"{year:04d}-{day:02d}-{month:02d}"
        elif trouble == "typo":
            if rng.random() < 0.5:
                given = typo(rng, given)
            else:
                family = typo(rng, family)
    return {
        "given_name": given,
        "family_name": family,
        "date_of_birth": born,
        "sex": who["sex"] if rng.random() < 0.9 else "",
        "citizenship": who["country"] if rng.random() < 0.8 else "",
    }


def generate(people: int, seed: int) -> tuple[list[dict], list[dict], list[tuple[str, str]]]:
    """Records of organisations A and B and the true pairs (a_id, b_id)."""
    rng = random.Random(seed)
    traditions = list(GIVEN)
    a_rows, b_rows, truth = [], [], []
    for index in range(people):
        who = person(rng, traditions[index % len(traditions)])
        first = record_a(rng, who)
        in_a, in_b = rng.random() < 0.85, rng.random() < 0.85
        if not in_a and not in_b:
            in_a = True
        a_id, b_id = f"a{index}", f"b{index}"
        if in_a:
            a_rows.append({"id": a_id, **first})
        if in_b:
            b_rows.append({"id": b_id, **record_b(rng, who, first)})
        if in_a and in_b:
            truth.append((a_id, b_id))
        if rng.random() < 0.05:
            # A namesake in B (same names, another person: born another year) and a sibling in A (same family
            # name and country, another given name, born a few years apart).
            namesake = dict(who, born=(who["born"][0] + rng.choice((-7, -3, 4, 9)), *who["born"][1:]))
            b_rows.append({"id": f"b{index}n", **record_b(rng, namesake, first)})
            sibling = dict(who, given=rng.choice(GIVEN[who["tradition"]][who["sex"]]))
            sibling["born"] = (
                who["born"][0] + rng.choice((-5, -2, 2, 6)),
                rng.randint(1, 12),
                rng.randint(1, 28),
            )
            if sibling["given"] != who["given"]:
                a_rows.append({"id": f"a{index}s", **record_a(rng, sibling)})
    rng.shuffle(a_rows)
    rng.shuffle(b_rows)
    return a_rows, b_rows, truth


COLUMNS = ("id", "given_name", "family_name", "date_of_birth", "sex", "citizenship")


def write(folder: Path, a_rows: list[dict], b_rows: list[dict], truth: list[tuple[str, str]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in (("a.csv", a_rows), ("b.csv", b_rows)):
        with (folder / name).open("w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    with (folder / "truth.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(("a_id", "b_id"))
        writer.writerows(sorted(truth))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out-dir", type=Path, required=True)
    args = parser.parse_args()
    write(args.out_dir, *generate(args.people, args.seed))


if __name__ == "__main__":
    main()

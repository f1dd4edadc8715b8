"""The bot's texts (locales/ru.yaml, locales/kk.yaml), to know what the bot must say.

PyYAML is used when it is installed; otherwise a small reader for the subset the locale files
use (nested mappings, "double-quoted", 'single-quoted' and plain scalars, `|` and `|-` blocks,
comments), so the end-to-end test needs nothing beyond the standard library.
"""
import json
import pathlib
import re

try:
    import yaml
except ImportError:  # the standard library only
    yaml = None


def normalize(text):
    """Texts compared the way a person reads them: no trailing spaces, \\n line ends."""
    lines = (text or "").replace("\r\n", "\n").strip().split("\n")
    return "\n".join(line.rstrip() for line in lines)


def _scalar(raw):
    raw = raw.strip()
    if raw.startswith('"'):
        end = 1
        while end < len(raw):
            if raw[end] == "\\":
                end += 2
                continue
            if raw[end] == '"':
                break
            end += 1
        # YAML's double-quoted escapes (\n, \", \\, \uXXXX) read like JSON's.
        return json.loads(raw[:end + 1])
    if raw.startswith("'"):
        return raw[1:raw.rindex("'")].replace("''", "'")
    raw = re.split(r"\s+#", raw, maxsplit=1)[0].strip()
    return {"null": None, "~": None, "true": True, "false": False}.get(raw, raw)


def read_yaml_subset(text):
    """Reads the YAML subset of the locale files into nested dicts."""
    lines = text.replace("\r\n", "\n").split("\n")
    root = {}
    stack = [(-1, root)]
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(line.lstrip(" "))
        key, colon, rest = stripped.partition(":")
        if not colon:
            raise ValueError(f"line {i}: not a 'key: value' line: {line!r}")
        key = _scalar(key) if key[:1] in "\"'" else key
        rest = rest.strip()
        while indent <= stack[-1][0]:
            stack.pop()
        parent = stack[-1][1]
        if not rest or rest.startswith("#"):
            parent[key] = {}
            stack.append((indent, parent[key]))
        elif rest.split("#")[0].strip() in ("|", "|-", "|+", ">", ">-"):
            style = rest.split("#")[0].strip()
            block = []
            while i < len(lines) and (not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip(" ")) > indent):
                block.append(lines[i])
                i += 1
            while block and not block[-1].strip():
                block.pop()
            block_indent = min((len(b) - len(b.lstrip(" ")) for b in block if b.strip()), default=0)
            body = [b[block_indent:] for b in block]
            value = " ".join(body) if style.startswith(">") else "\n".join(body)
            parent[key] = value if style.endswith("-") else value + "\n"
        else:
            parent[key] = _scalar(rest)
    return root


def load_yaml(path):
    text = pathlib.Path(path).read_text(encoding="utf-8")
    if yaml is not None:
        return yaml.safe_load(text)
    return read_yaml_subset(text)


class Texts:
    """texts("ru", "registration.done", name="Айгерим") → the Russian text, filled in."""

    def __init__(self, locales_dir):
        self.dir = pathlib.Path(locales_dir)
        self.data = {lang: load_yaml(self.dir / f"{lang}.yaml") for lang in ("ru", "kk")}

    def __call__(self, lang, key, **args):
        value = self.data[lang]
        for part in key.split("."):
            if not isinstance(value, dict) or part not in value:
                raise KeyError(f"no text {key} in locales/{lang}.yaml")
            value = value[part]
        if not isinstance(value, str):
            raise KeyError(f"{key} in locales/{lang}.yaml is not a text")
        for name, arg in args.items():
            value = value.replace("{" + name + "}", str(arg))
        return value

    def flat(self, lang):
        """Every text of a language: {"registration.first_name": "…", …} (plural forms as key.one …)."""
        found = {}

        def walk(prefix, node):
            for key, value in node.items():
                path = f"{prefix}.{key}" if prefix else str(key)
                if isinstance(value, dict):
                    walk(path, value)
                elif isinstance(value, str):
                    found[path] = value
        walk("", self.data[lang])
        return found

    def fields(self, lang, key, message):
        """What a message filled the placeholders of text `key` with, or None (see template_fields)."""
        return template_fields(self(lang, key), message)

    def classify(self, lang, message):
        """The key of the longest text of `lang` that the message contains (a text with
        placeholders matches by its longest literal piece), or None."""
        message = normalize(message)
        best, best_length = None, 0
        for key, text in self.flat(lang).items():
            pieces = [normalize(piece) for piece in re.split(r"\{[a-z_]+\}", text)]
            piece = max(pieces, key=len)
            if len(piece) >= 4 and piece in message and len(piece) > best_length:
                best, best_length = key, len(piece)
        return best


# Month names as the bot writes them (Sources/FlowEngine/Texts/CalendarText.swift): calendar
# headers use the nominative ("Март 2026", "Наурыз 2026"), Russian dates the genitive.
MONTHS = {
    "ru": ["январь", "февраль", "март", "апрель", "май", "июнь",
           "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"],
    "kk": ["қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым",
           "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан"],
}
RU_GENITIVE = ["января", "февраля", "марта", "апреля", "мая", "июня",
               "июля", "августа", "сентября", "октября", "ноября", "декабря"]


def month_year(header):
    """A calendar header ("Қараша 2026", "Ноябрь 2026") → (year, month), or None."""
    match = re.fullmatch(r"\s*(\S+)\s+(\d{4})\s*", header or "")
    if not match:
        return None
    name = match.group(1).lower()
    for names in MONTHS.values():
        if name in names:
            return int(match.group(2)), names.index(name) + 1
    return None


def long_date(date, lang):
    """A date as the bot writes it in texts: ru "5 марта 2026 г.", kk "2026 жылғы 5 наурыз"."""
    if lang == "kk":
        return f"{date.year} жылғы {date.day} {MONTHS['kk'][date.month - 1]}"
    return f"{date.day} {RU_GENITIVE[date.month - 1]} {date.year} г."


PLACEHOLDER = re.compile(r"\{([a-z_]+)(?::[a-z_]+)?\}")


def template_fields(template, message):
    """What a message filled a text's placeholders with: {"code": "A-501", …}, or None when the
    message does not say this text. Placeholders ({name} or {name:format}) match within a line
    (a name used twice gives its first value); the text may be surrounded by other lines."""
    pattern, position, seen = "", 0, set()
    template = normalize(template)
    for match in PLACEHOLDER.finditer(template):
        pattern += re.escape(template[position:match.start()])
        name = match.group(1)
        # A placeholder used twice may be shown in two formats ({start:datetime} ({start:weekday})).
        pattern += "[^\n]+?" if name in seen else f"(?P<{name}>[^\n]+?)"
        seen.add(name)
        position = match.end()
    pattern += re.escape(template[position:])
    found = re.search(r"(?:^|\n)" + pattern + r"(?:\n|$)", normalize(message))
    return found.groupdict() if found else None


def contains(message, expected):
    """Whether a message the person sees contains the expected text."""
    return normalize(expected) in normalize(message)

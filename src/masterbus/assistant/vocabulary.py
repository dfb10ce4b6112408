"""Words people use about sound, and what each means for a master.

Every term names a quality; its fix is the change that gives *less* of that quality (asking for
more of it reverses the signs). The bands and typical amounts follow public audio glossaries and
problem-frequency charts, rounded to the broad one-octave moves our engine makes:

- Graham Brock, "Audio Terms" (http://www.grahambrock.com/audio-terms.html): boomy around
  125 Hz, bloated around 250 Hz, airy/bright/dull/edgy as high-frequency emphasis or weakness,
  thin as lacking low-frequency fundamentals, boxy as closed-in.
- MelodyMine, "Understanding problem frequencies in music"
  (https://blog.melodymine.com/2023/02/understanding-problem-frequencies-in-music-and-importance-of-eq.html):
  muddy in the low mids (about 80-400 Hz), boxy around 400-1000 Hz, nasal/honky from 1 kHz up.
- The common engineering rule of thumb that harshness sits at 2-5 kHz and sibilance at
  5-10 kHz (the same charts), and that width and loudness are not EQ at all.

Amounts are "typical": the song's measured spectrum then decides how much (features/feedback.py).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    name: str
    words: tuple[str, ...]  # forms as typed, lower case
    kind: str  # "eq", "width", "dynamics" or "loudness"
    # "eq": (centre Hz, dB) moves for LESS of the quality; "width": percent points; "dynamics":
    # intensity points; "loudness": LU; all signed for less of the quality.
    moves: tuple[tuple[float, float], ...] = ()
    amount: float = 0.0
    # Said without "more"/"less"/"too", is it a complaint (less wanted) or a wish (more wanted)?
    bare_means_less: bool = True
    # A place ("the low end", "the vocals") locates another word in its sentence; it only asks
    # for a change itself with "more"/"less" or "too loud"/"too quiet".
    place: bool = False
    why: str = ""


TERMS: tuple[Term, ...] = (
    Term("muddy", ("muddy", "mud", "muddiness", "murky", "cloudy", "bloated"), "eq",
         ((250.0, -2.5),), why="low mids (about 200-400 Hz) crowd each other"),
    Term("boomy", ("boomy", "boom", "boominess", "woolly", "wooly", "bassy", "flabby"), "eq",
         ((120.0, -2.5),), why="too much bass around 100-150 Hz"),
    Term("boxy", ("boxy", "boxiness", "closed", "cardboard"), "eq",
         ((600.0, -2.0),), why="a closed-in resonance around 400-800 Hz"),
    Term("honky", ("honky", "honk", "nasal", "nasally"), "eq",
         ((1000.0, -2.0),), why="nasal midrange around 800 Hz-1.5 kHz"),
    Term("harsh", ("harsh", "harshness", "shrill", "piercing", "edgy", "abrasive", "tinny"), "eq",
         ((3200.0, -2.5),), why="the ear's most sensitive region, 2-5 kHz, is too strong"),
    Term("sibilant", ("sibilant", "sibilance", "essy", "hissy", "splashy"), "eq",
         ((7000.0, -2.0),), why="s and t sounds and cymbals live at 5-10 kHz"),
    Term("bright", ("bright", "brighter", "brightness", "brittle", "sharp", "crisp"), "eq",
         ((5000.0, -1.5), (12000.0, -1.5)), why="high-frequency emphasis above 4 kHz"),
    Term("airy", ("airy", "air", "sparkle", "open", "shimmer", "airier"), "eq",
         ((12000.0, -2.0),), bare_means_less=False, why="the 10-16 kHz 'air' band"),
    Term("dull", ("dull", "dark", "muffled", "veiled", "duller", "darker"), "eq",
         ((5000.0, 1.5), (12000.0, 2.0)), why="weak high frequencies"),
    Term("thin", ("thin", "weak", "lightweight", "anaemic", "anemic"), "eq",
         ((100.0, 2.0), (200.0, 1.5)), why="the low fundamentals (80-250 Hz) are weak"),
    Term("warm", ("warm", "warmer", "warmth", "full", "fuller", "fat", "body"), "eq",
         ((200.0, -1.5),), bare_means_less=False, why="fullness in the 150-300 Hz region"),
    Term("bass", ("bass", "low end", "lows", "bottom", "sub", "kick"), "eq",
         ((70.0, -2.0),), bare_means_less=False, place=True, why="the low end below 100 Hz"),
    Term("vocals", ("vocals", "vocal", "voice", "voices", "singer", "singing"), "eq",
         ((2500.0, -1.5),), bare_means_less=False, place=True,
         why="the voice's presence at 2-4 kHz"),
    Term("presence", ("presence", "clarity", "clear", "clearer", "definition", "forward"), "eq",
         ((2500.0, -1.5),), bare_means_less=False, why="presence and definition at 2-4 kHz"),
    Term("punch", ("punch", "punchy", "punchier", "impact", "thump"), "dynamics",
         ((100.0, -1.0),), amount=10.0, bare_means_less=False,
         why="transients: gentler compression keeps the attack, a touch of 100 Hz the weight"),
    Term("squashed", ("squashed", "crushed", "compressed", "over-compressed",
                      "overcompressed", "pumping", "flat", "lifeless", "smashed", "squeezed"),
         "dynamics", amount=-20.0,
         why="the compression and limiting work too hard: less intensity keeps the dynamics"),
    Term("wide", ("wide", "wider", "width", "spacious", "stereo", "big"), "width",
         amount=-20.0, bare_means_less=False, why="the side signal (stereo width)"),
    Term("narrow", ("narrow", "narrower", "mono", "small", "centred", "centered"), "width",
         amount=20.0, why="the side signal (stereo width)"),
    Term("loud", ("loud", "louder", "loudness", "volume", "hot"), "loudness",
         amount=-2.0, bare_means_less=False, why="the loudness target"),
    Term("quiet", ("quiet", "quieter", "soft", "low volume"), "loudness",
         amount=2.0, why="the loudness target"),
)  # fmt: skip

# "more"/"less" words, negations and hedges, with their weight.
MORE = ("more", "needs", "need", "want", "wants", "add", "lacks", "lacking", "missing",
        "not enough", "more of", "bring out", "boost", "increase")  # fmt: skip
LESS = ("less", "too", "too much", "reduce", "remove", "cut", "tame", "overly", "excessive",
        "way too", "fewer")  # fmt: skip
NEGATIONS = ("not", "isn't", "isnt", "aren't", "arent", "no longer", "never", "doesn't",
             "don't", "nothing")  # fmt: skip
HEDGES = {"a bit": 0.5, "a little": 0.5, "slightly": 0.5, "somewhat": 0.6, "kind of": 0.6,
          "kinda": 0.6, "a touch": 0.5, "a tad": 0.5, "very": 1.5, "really": 1.3,
          "way": 1.5, "extremely": 1.6, "so": 1.2}  # fmt: skip


# Forms that already say "more" ("wider" = more width).
COMPARATIVES = frozenset(
    {"wider", "narrower", "louder", "quieter", "brighter", "darker", "duller", "warmer",
     "fuller", "punchier", "clearer", "airier"}
)  # fmt: skip


def term_index() -> dict[str, Term]:
    """Every typed form to its term (a form belongs to one term)."""
    return {word: term for term in TERMS for word in term.words}

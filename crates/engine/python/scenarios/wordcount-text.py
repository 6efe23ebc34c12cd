# Shared by the word count's programs (engine::scenarios::wordcount fills
# them in): the generated corpus (where the run counts one) and the cut into
# parts.

{{#corpus}}
import random


def corpus(size):
    # A generated text of `size` bytes from made-up syllables (the playground
    # generates its corpus the same way, with its own random numbers).
    rng = random.Random(42)
    onsets = list("bcdfghlmnprstv") + ["br", "st"]
    vowels = list("aeiou") + ["ea"]
    codas = ["", "n", "r", "s", "t", "nd"]
    vocabulary = [
        rng.choice(onsets) + rng.choice(vowels) + rng.choice(codas) for _ in range(5000)
    ]
    words, length = [], 0
    while length < size:
        word = vocabulary[min(int(rng.paretovariate(1.1)) - 1, len(vocabulary) - 1)]
        words.append(word)
        length += len(word) + 1
    return " ".join(words)
{{/corpus}}


def cut(text, n):
    # At whitespace, so no word is split.
    parts, start = [], 0
    for k in range(1, n + 1):
        end = len(text) if k == n else text.find(" ", max(start, len(text) * k // n))
        end = len(text) if end < 0 else end
        parts.append(text[start:end])
        start = end
    return parts

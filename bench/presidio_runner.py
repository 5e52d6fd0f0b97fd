"""Microsoft Presidio's predefined recognizers on the guard's corpus, for bench/guard.py.

Runs in its own throwaway virtualenv (never the project's), made with:
    python3.11 -m venv /tmp/presidio-venv && /tmp/presidio-venv/bin/pip install presidio-analyzer
No spaCy model is needed or loaded: the NLP engine is a blank spaCy pipeline (tokenizer only),
so the NER-based entities (PERSON, LOCATION, NRP) are absent and every other recognizer works as
shipped. The ones for Spain, Italy, Poland, Germany and the other countries are set to English so
that they run on every text (their patterns do not depend on the language).

Usage (by bench/guard.py): /tmp/presidio-venv/bin/python bench/presidio_runner.py IN.json OUT.json
IN: {"documents": [{"name": ..., "chunks": [text, ...]}]}; OUT: {"version": ..., "seconds": ...,
"documents": {name: [[entity_type, score], ...]}}.
"""

import inspect
import json
import sys
import tempfile
import time
from importlib import metadata

# No network: the e-mail and URL recognizers use tldextract, which would fetch the public suffix
# list; its bundled snapshot is used instead.
import tldextract
import tldextract.tldextract

# A helper of bench/guard.py, not a benchmark of its own (bench/run.py skips it).
BENCH_RUN = None

tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)

import presidio_analyzer.predefined_recognizers as predefined  # noqa: E402
import spacy  # noqa: E402
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry  # noqa: E402
from presidio_analyzer.nlp_engine import SpacyNlpEngine  # noqa: E402

# Recognizers that need a model, a cloud service or an NLP pipeline beyond a tokenizer.
SKIP = {
    "SpacyRecognizer",
    "StanzaRecognizer",
    "TransformersRecognizer",
    "GLiNERRecognizer",
    "HuggingFaceNerRecognizer",
    "AzureAILanguageRecognizer",
    "AzureHealthDeidRecognizer",
    "LangExtractRecognizer",
    "AzureOpenAILangExtractRecognizer",
    "BasicLangExtractRecognizer",
    "MedicalNERRecognizer",
}


def recognizers():
    out = []
    for name in predefined.__all__:
        cls = getattr(predefined, name, None)
        if name in SKIP or not inspect.isclass(cls):
            continue
        try:
            recognizer = cls(supported_language="en")
        except TypeError:
            recognizer = cls()
        recognizer.supported_language = "en"
        out.append(recognizer)
    return out


def main() -> None:
    source, target = sys.argv[1], sys.argv[2]
    with open(source, encoding="utf-8") as handle:
        documents = json.load(handle)["documents"]
    model = tempfile.mkdtemp(prefix="presidio-blank-en-")
    spacy.blank("en").to_disk(model)
    engine = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": model}])
    engine.load()
    registry = RecognizerRegistry(supported_languages=["en"])
    for recognizer in recognizers():
        registry.add_recognizer(recognizer)
    analyzer = AnalyzerEngine(registry=registry, nlp_engine=engine, supported_languages=["en"])
    started = time.perf_counter()
    results = {}
    for document in documents:
        found = []
        for text in document["chunks"]:
            for result in analyzer.analyze(text=text, language="en"):
                found.append([result.entity_type, round(result.score, 2)])
        results[document["name"]] = found
    seconds = time.perf_counter() - started
    with open(target, "w", encoding="utf-8") as handle:
        json.dump(
            {
                "version": metadata.version("presidio-analyzer"),
                "spacy": spacy.__version__,
                "recognizers": sorted({type(r).__name__ for r in registry.recognizers}),
                "seconds": seconds,
                "documents": results,
            },
            handle,
        )


if __name__ == "__main__":
    main()

"""Dutch keyword handling: stems, abbreviations and safe FTS5 queries."""

import sqlite3

from index import text


def test_stems_meet_across_word_forms():
    assert text.stems("schreeuwen")[0] == text.stems("schreeuw")[0]
    assert text.stems("de leerlingen")[0] == text.stems("leerling")[0]


def test_stopwords_are_dropped():
    assert text.stems("ik heb een vraag over het") == []


def test_abbreviations_are_expanded():
    assert text.tokens("lln in gr 5") == ["leerlingen", "in", "groep", "5"]
    assert "intern" in text.tokens("de ib'er zegt")


def test_fts_query_quotes_every_term_so_syntax_is_literal():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5 (stems)")
    conn.execute("INSERT INTO t VALUES ('boos klas')")
    for nasty in [
        'boos" OR *',
        "NEAR(boos klas)",
        "-boos",
        "boos AND NOT klas",
        "'; DROP TABLE t; --",
    ]:
        query = text.fts_query(nasty)
        conn.execute("SELECT rowid FROM t WHERE t MATCH ?", (query,)).fetchall()
    assert conn.execute("SELECT count(*) FROM t").fetchone()[0] == 1


def test_fts_query_is_none_without_content_words():
    assert text.fts_query("") is None
    assert text.fts_query("😀 <b></b> !!!") is None


def test_long_input_is_bounded():
    query = text.fts_query("woord" + " anders".join(str(i) for i in range(20000)))
    assert query.count(" OR ") < text.MAX_QUERY_TERMS

// Neo4j 5 schema: uniqueness constraints (each brings its own index) and lookup indexes.
// Idempotent: every statement has IF NOT EXISTS.
CREATE CONSTRAINT paper_uid IF NOT EXISTS FOR (n:Paper) REQUIRE n.uid IS UNIQUE;
CREATE CONSTRAINT patent_uid IF NOT EXISTS FOR (n:Patent) REQUIRE n.uid IS UNIQUE;
CREATE CONSTRAINT institution_uid IF NOT EXISTS FOR (n:Institution) REQUIRE n.uid IS UNIQUE;
CREATE CONSTRAINT country_code IF NOT EXISTS FOR (n:Country) REQUIRE n.code IS UNIQUE;
CREATE CONSTRAINT country_year_uid IF NOT EXISTS FOR (n:CountryYear) REQUIRE n.uid IS UNIQUE;
CREATE CONSTRAINT branch_name IF NOT EXISTS FOR (n:Branch) REQUIRE n.name IS UNIQUE;
CREATE CONSTRAINT unit_year_uid IF NOT EXISTS FOR (n:UnitYear) REQUIRE n.uid IS UNIQUE;
CREATE CONSTRAINT pair_year_uid IF NOT EXISTS FOR (n:PairYear) REQUIRE n.uid IS UNIQUE;
CREATE INDEX paper_year IF NOT EXISTS FOR (n:Paper) ON (n.year);
CREATE INDEX paper_doi IF NOT EXISTS FOR (n:Paper) ON (n.doi);
CREATE INDEX paper_title_key IF NOT EXISTS FOR (n:Paper) ON (n.title_key);
CREATE INDEX patent_year IF NOT EXISTS FOR (n:Patent) ON (n.year);
CREATE INDEX institution_name IF NOT EXISTS FOR (n:Institution) ON (n.name);
CREATE INDEX country_year_kind IF NOT EXISTS FOR (n:CountryYear) ON (n.kind);
CREATE INDEX unit_year_slot IF NOT EXISTS FOR (n:UnitYear) ON (n.slot);
CREATE INDEX pair_year_pair IF NOT EXISTS FOR (n:PairYear) ON (n.pair);

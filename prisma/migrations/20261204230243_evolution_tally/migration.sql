-- CreateTable
CREATE TABLE "EvolutionTally" (
    "runId" UUID NOT NULL,
    "field" TEXT NOT NULL,
    "generation" INTEGER NOT NULL,
    "outcome" TEXT NOT NULL,
    "n" INTEGER NOT NULL,

    CONSTRAINT "EvolutionTally_pkey" PRIMARY KEY ("runId","field","generation","outcome")
);

-- AddForeignKey
ALTER TABLE "EvolutionTally" ADD CONSTRAINT "EvolutionTally_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- The runs already there: their tallies counted once from their records' lineages, for the
-- evolve fields of the blueprint version each run froze (the run page read them this way).
INSERT INTO "EvolutionTally" ("runId", field, generation, outcome, n)
SELECT r."runId", f.name, (s->>'generation')::int, coalesce(s->>'eliminated', ''), count(*)::int
FROM "Run" run
JOIN "BlueprintVersion" v ON v.id = run."blueprintVersionId"
CROSS JOIN LATERAL (SELECT jsonb_path_query(v.blueprint, '$.fields[*] ? (@.kind == "evolve").name') #>> '{}' AS name) f
JOIN "Record" r ON r."runId" = run.id
CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(r.values->f.name->'lineage') = 'array' THEN r.values->f.name->'lineage' ELSE '[]'::jsonb END) s
GROUP BY 1, 2, 3, 4;

package io.pgcopydb.internal.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.internal.catalog.CatalogGraph.Relation;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import io.pgcopydb.testkit.sample.Datasets;
import java.sql.Connection;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresPairExtension.class)
class CatalogGraphReaderIT {

    @Test
    void readsPagilasGraph(DatabasePair pair) throws Exception {
        Datasets.assumePresent("pagila");
        Datasets.loadPagila(pair.source());
        // pagila's sequences are used by defaults but not OWNED BY: add a serial and an identity column.
        pair.source().execute("CREATE EXTENSION hstore; CREATE TABLE owned (id serial, n int GENERATED ALWAYS AS IDENTITY)");

        CatalogGraph graph;
        try (Connection c = pair.source().connect()) {
            graph = CatalogGraphReader.read(c);
        }

        Map<String, Relation> byName = graph.relations().stream()
                .collect(Collectors.toMap(Relation::qualified, Function.identity()));
        long payment = byName.get("public.payment").oid();
        assertThat(byName.get("public.payment").kind()).isEqualTo(Relation.Kind.PARTITIONED_TABLE);
        assertThat(byName.get("public.payment_p2022_01").parentOid()).as("partition → parent").isEqualTo(payment);
        assertThat(byName.get("public.film_pkey").tableOid()).isEqualTo(byName.get("public.film").oid());
        assertThat(byName).containsKeys("public.film_list", "public.rental_by_category", "public.customer_customer_id_seq");

        long rental = byName.get("public.rental").oid();
        assertThat(graph.constraints()).filteredOn(c -> c.tableOid() == rental && c.isForeignKey())
                .extracting(c -> c.referencedTableOid())
                .contains(byName.get("public.inventory").oid(), byName.get("public.customer").oid());
        long owned = byName.get("public.owned").oid();
        assertThat(graph.sequenceOwners()).anyMatch(o -> o.sequenceOid() == byName.get("public.owned_id_seq").oid()
                && o.tableOid() == owned && !o.identity());
        assertThat(graph.sequenceOwners()).anyMatch(o -> o.sequenceOid() == byName.get("public.owned_n_seq").oid()
                && o.tableOid() == owned && o.identity());
        assertThat(graph.sequenceDefaults()).anyMatch(d -> d.tableOid() == byName.get("public.customer").oid());
        assertThat(graph.dependencies()).as("a view depends on the tables it reads, through its rewrite rule")
                .anyMatch(d -> d.object().equals(byName.get("public.film_list").ref())
                        && d.referenced().equals(byName.get("public.film").ref()));
        assertThat(graph.extensions()).extracting(CatalogGraph.Extension::name).contains("hstore");
        assertThat(graph.relations()).as("no extension members, no system relations")
                .noneMatch(r -> r.schema().equals("pg_catalog") || r.schema().startsWith("pg_toast"));
        assertThat(graph.schemas()).extracting(CatalogGraph.Namespace::name).contains("public");
    }
}

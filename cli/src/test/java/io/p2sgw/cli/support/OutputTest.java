package io.p2sgw.cli.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void tableAlignsColumnsAndJoinsArrays() throws Exception {
        JsonNode rows = JSON.readTree("""
                [{"name":"VNet1","location":"eastus","properties":{"addressSpace":{"addressPrefixes":["10.1.0.0/16","10.2.0.0/16"]},
                  "subnets":[{"name":"FrontEnd"},{"name":"GatewaySubnet"}],"provisioningState":"Succeeded"}},
                 {"name":"V2","location":"westeurope","properties":{}}]""");
        List<Column> cols = List.of(Column.of("Name", "/name"), Column.of("Location", "/location"),
                Column.of("Prefixes", "/properties/addressSpace/addressPrefixes"), Column.of("Subnets", "/properties/subnets"),
                Column.of("State", "/properties/provisioningState"));
        StringWriter w = new StringWriter();
        Output.print(new PrintWriter(w), OutputFormat.table, rows, cols);
        assertEquals("""
                Name   Location    Prefixes                  Subnets                  State
                -----  ----------  ------------------------  -----------------------  ---------
                VNet1  eastus      10.1.0.0/16, 10.2.0.0/16  FrontEnd, GatewaySubnet  Succeeded
                V2     westeurope
                """, w.toString());
    }

    @Test
    void singleObjectIsOneRowAndJsonIsPretty() throws Exception {
        JsonNode obj = JSON.readTree("{\"name\":\"a\",\"role\":\"Reader\"}");
        StringWriter t = new StringWriter();
        Output.print(new PrintWriter(t), OutputFormat.table, obj, List.of(Column.of("Name", "/name"), Column.of("Role", "/role")));
        assertEquals("Name  Role\n----  ------\na     Reader\n", t.toString());
        StringWriter j = new StringWriter();
        Output.print(new PrintWriter(j), OutputFormat.json, obj, List.of());
        assertEquals(obj, JSON.readTree(j.toString()));
        assertEquals(true, j.toString().contains("\n  \"name\""));
    }

    @Test
    void noResultPrintsNothingInEitherFormatButAnEmptyListIsAnEmptyTable() {
        for (OutputFormat f : OutputFormat.values()) {
            StringWriter w = new StringWriter();
            Output.print(new PrintWriter(w), f, com.fasterxml.jackson.databind.node.MissingNode.getInstance(),
                    List.of(Column.of("Name", "/name")));
            assertEquals("", w.toString(), f.name());
        }
        StringWriter t = new StringWriter();
        Output.print(new PrintWriter(t), OutputFormat.table, JSON.createArrayNode(), List.of(Column.of("Name", "/name")));
        assertEquals("Name\n----\n", t.toString());
    }
}

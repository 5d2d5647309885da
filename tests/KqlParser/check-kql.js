// Tests only: parse each query with Microsoft's Kusto language service (@kusto/language-service-next)
// against the AzureDiagnostics columns the module's queries use, and report every diagnostic.
// Usage: node check-kql.js <queries.json>   where the file holds [{"name": "...", "query": "..."}].
// Prints [{"name", "diagnostics": ["Error: ... @offset"]}] and exits 1 when any query has a diagnostic.
'use strict';
const fs = require('fs');
require('@kusto/language-service-next/bridge.min.js');
require('@kusto/language-service-next/Kusto.Language.Bridge.min.js');

const K = Kusto.Language;
// The AzureDiagnostics columns the IoT Hub Connections records fill (DESIGN.md section 5).
const schema = '(TimeGenerated:datetime, ResourceProvider:string, ResourceType:string, _ResourceId:string, Resource:string, '
    + 'Category:string, OperationName:string, Level:string, ResultType:string, ResultDescription:string, properties_s:string)';
const members = new (System.Collections.Generic.List$1(K.Symbols.Symbol).ctor)();
members.add(new K.Symbols.TableSymbol.$ctor7('AzureDiagnostics', schema, null));
const globals = K.GlobalState.Default.WithDatabase(new K.Symbols.DatabaseSymbol.$ctor1('workspace', members, false));

const queries = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
let failed = false;
const results = queries.map(({ name, query }) => {
    const diagnostics = K.KustoCode.ParseAndAnalyze(query, globals).GetDiagnostics();
    const said = [];
    for (let i = 0; i < diagnostics.Count; i++) {
        const d = diagnostics.getItem(i);
        said.push(`${d.Severity}: ${d.Message} @${d.Start}`);
    }
    if (said.length > 0) failed = true;
    return { name, diagnostics: said };
});
process.stdout.write(JSON.stringify(results));
process.exit(failed ? 1 : 0);

using System.Net;
using System.Text;
using Microsoft.Azure.Cosmos;

namespace PrecisionMed.Adapters.Cosmos;

/// <summary>
/// Local stacks only (the emulator server, <see cref="CosmosOptions.EmulatorKey"/> set): lets the SDK run the ledger's
/// one cross-partition query there. Off Windows the SDK asks the gateway for a query plan, which the emulator server
/// cannot produce (it answers 400), and it runs a query across partitions only when told so by a header the SDK leaves
/// off the plan request. So this handler answers plan requests with the plan of a plain filter query (one range, no
/// ORDER BY/aggregates: the only kind the ledger sends) and marks queries cross-partition. Real Cosmos DB never sees it.
/// </summary>
internal sealed class EmulatorCrossPartitionQueryHandler : RequestHandler
{
    private const string PlainQueryPlan =
        """{"partitionedQueryExecutionInfoVersion":2,"queryInfo":{"distinctType":"None","top":null,"offset":null,"limit":null,"orderBy":[],"orderByExpressions":[],"groupByExpressions":[],"groupByAliases":[],"aggregates":[],"groupByAliasToAggregateType":{},"rewrittenQuery":"","hasSelectValue":false,"dCountInfo":null},"queryRanges":[{"min":"","max":"FF","isMinInclusive":true,"isMaxInclusive":false}]}""";

    public override Task<ResponseMessage> SendAsync(RequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Headers["x-ms-cosmos-is-query-plan-request"] is { } plan && bool.TryParse(plan, out var isPlan) && isPlan)
        {
            return Task.FromResult(new ResponseMessage(HttpStatusCode.OK, request)
            {
                Content = new MemoryStream(Encoding.UTF8.GetBytes(PlainQueryPlan)),
            });
        }

        if (request.Headers["x-ms-documentdb-isquery"] is not null || request.Headers.ContentType?.Contains("query", StringComparison.Ordinal) == true)
            request.Headers["x-ms-documentdb-query-enablecrosspartition"] = bool.TrueString;
        return base.SendAsync(request, cancellationToken);
    }
}

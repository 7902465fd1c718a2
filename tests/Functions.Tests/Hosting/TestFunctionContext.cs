using Microsoft.Azure.Functions.Worker;

namespace PrecisionMed.Functions.Tests.Hosting;

/// <summary>The little of a FunctionContext our functions read: the invocation id, the services and the host's cancellation.</summary>
internal sealed class TestFunctionContext(IServiceProvider services, string functionName, CancellationToken cancellationToken = default) : FunctionContext
{
    public override CancellationToken CancellationToken => cancellationToken;

    public override string InvocationId { get; } = Guid.NewGuid().ToString("N");
    public override string FunctionId => functionName;
    public override TraceContext TraceContext => throw new NotSupportedException();
    public override BindingContext BindingContext => throw new NotSupportedException();
    public override RetryContext RetryContext => throw new NotSupportedException();
    public override IServiceProvider InstanceServices { get; set; } = services;
    public override FunctionDefinition FunctionDefinition => throw new NotSupportedException();
    public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object>();
    public override IInvocationFeatures Features => throw new NotSupportedException();
}

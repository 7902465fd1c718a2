using Microsoft.Extensions.Options;

namespace PrecisionMed.Core.Pipeline;

/// <summary>Refuses <see cref="PipelineOptions"/> with a wrong setting, naming each (<see cref="PipelineOptions.Problems"/>).</summary>
internal sealed class PipelineOptionsValidation : IValidateOptions<PipelineOptions>
{
    public ValidateOptionsResult Validate(string? name, PipelineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Problems();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

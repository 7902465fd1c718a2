using PrecisionMed.Cli.CommandLine;

return await PmedCommandLine.RunAsync(args, Console.Out, Console.Error, CancellationToken.None);

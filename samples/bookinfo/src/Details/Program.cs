using Weft.Bookinfo;
using Weft.Bookinfo.Details;

return await ServiceProgram.RunAsync(
    "details",
    ServiceCommandLine.Usage("Weft.Bookinfo.Details", DetailsOptions.EnvironmentHelp),
    args,
    DetailsOptions.FromEnvironment,
    async options => await DetailsServer.StartAsync(options));

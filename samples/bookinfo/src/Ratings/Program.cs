using Weft.Bookinfo;
using Weft.Bookinfo.Ratings;

return await ServiceProgram.RunAsync(
    "ratings",
    ServiceCommandLine.Usage("Weft.Bookinfo.Ratings", RatingsOptions.EnvironmentHelp),
    args,
    RatingsOptions.FromEnvironment,
    async options => await RatingsServer.StartAsync(options));

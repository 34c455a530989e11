using Coldmod.Server;

return await ColdmodServer.RunAsync(args);

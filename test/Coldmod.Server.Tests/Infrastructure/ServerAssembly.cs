extern alias server;

// The server assembly is referenced under the alias 'server' (it shows its internals to the connect tests, and its
// internal protocol types must not meet this project's generated client); its public types are named here once.
global using ColdmodServer = server::Coldmod.Server.ColdmodServer;
global using ColdmodStoreException = server::Coldmod.Server.ColdmodStoreException;

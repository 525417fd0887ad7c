// An S3-compatible server for the tests (npm s3rver), on a given port, keeping its objects in a
// folder so that it can be stopped and started again with its data. Prints {"listening": port}.
//   node s3-server.mjs <port> <folder>
import S3rver from "s3rver";

const [port, directory] = process.argv.slice(2);
const server = new S3rver({ port: Number(port), address: "127.0.0.1", directory, silent: true });
await server.run();
process.stdout.write(JSON.stringify({ listening: Number(port) }) + "\n");

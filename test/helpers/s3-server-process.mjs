// Runs s3rver (an S3-compatible server from npm) as a process of its own: `node
// --openssl-legacy-provider s3-server-process.mjs DIR BUCKET`. s3rver encrypts its listing
// continuation tokens with DES, which OpenSSL 3 offers only through its legacy provider, so it
// cannot run inside the test process. Prints {"port":N} once it listens; stops on SIGTERM.
import S3rver from 's3rver';

const [directory, bucket] = process.argv.slice(2);
const server = new S3rver({ address: '127.0.0.1', port: 0, silent: !process.env.S3RVER_LOG, directory, configureBuckets: [{ name: bucket, configs: [] }] });
const { port } = await server.run();
process.stdout.write(`${JSON.stringify({ port })}\n`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));

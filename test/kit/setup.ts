// Jest setup, run before every test file.

// The build machines run Node.js 20 on purpose (the handlers themselves run on the Lambda runtime's Node.js 24).
// The AWS SDK announces once per process that later releases need Node.js 22; that says nothing about our code.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

// Loaded before decap-cms.js: Decap waits for weibao-yaml.js to register the record format and
// call CMS.init(), so no record is ever written with the built-in YAML writer.
window.CMS_MANUAL_INIT = true;

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import './comments';
import './styles/base.css';
import './styles/app.css';
import './styles/editor.css';
import './styles/versions.css';

const root = document.getElementById('root');
if (!root) throw new Error('The page has no #root element.');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
